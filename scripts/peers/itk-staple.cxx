// Peer benchmark: ITK's STAPLEImageFilter on the given binary rater images (uint8, foreground 1), default settings.
// Prints one JSON line: median in-filter seconds over RUNS runs, ITK's iteration count and version.
// Built by scripts/bench-fusion.ts when Debian's libinsighttoolkit5-dev is installed; never a project dependency.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include "itkImage.h"
#include "itkImageFileReader.h"
#include "itkSTAPLEImageFilter.h"
#include "itkVersion.h"

int main(int argc, char **argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: itk-staple RUNS RATER...\n");
    return 2;
  }
  using Labels = itk::Image<unsigned char, 3>;
  using Prob = itk::Image<float, 3>;
  const int runs = std::atoi(argv[1]);
  std::vector<Labels::Pointer> raters;
  for (int i = 2; i < argc; ++i) raters.push_back(itk::ReadImage<Labels>(argv[i]));
  std::vector<double> seconds;
  unsigned int iterations = 0;
  for (int r = 0; r < runs; ++r) {
    auto filter = itk::STAPLEImageFilter<Labels, Prob>::New();
    for (size_t i = 0; i < raters.size(); ++i) filter->SetInput(i, raters[i]);
    filter->SetForegroundValue(1);
    const auto start = std::chrono::steady_clock::now();
    filter->Update();
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    iterations = filter->GetElapsedIterations();
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds.size() % 2 ? seconds[seconds.size() / 2]
                                            : (seconds[seconds.size() / 2 - 1] + seconds[seconds.size() / 2]) / 2;
  std::printf("{\"secondsMedian\": %.6f, \"iterations\": %u, \"version\": \"%s\"}\n", median, iterations,
              itk::Version::GetITKVersion());
  return 0;
}
