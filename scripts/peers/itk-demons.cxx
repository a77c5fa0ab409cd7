// Peer benchmark: ITK's DiffeomorphicDemonsRegistrationFilter (SimpleITK's defaults but for the iterations and the
// field smoothing sigma given) registering MOVING onto FIXED (2D or 3D float images, same grid). Origin and
// direction are reset so physical space is index x spacing, as multirater's fields. Prints one JSON line: median
// in-filter wall and CPU seconds over RUNS runs, elapsed iterations, last RMS change, metric and ITK's version; writes the
// displacement field (mm along the voxel axes, components interleaved per voxel, i fastest) as raw float32 to FIELD.
// Built by scripts/bench-registration.ts when Debian's libinsighttoolkit5-dev is installed; never a dependency.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>
#include "itkDiffeomorphicDemonsRegistrationFilter.h"
#include "itkImage.h"
#include "itkImageFileReader.h"
#include "itkImageRegionConstIterator.h"
#include "itkVersion.h"

static double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

template <unsigned int D>
int run(int runs, unsigned int iterations, double sigma, const char *fixedPath, const char *movingPath, const char *fieldPath) {
  using Image = itk::Image<float, D>;
  using Field = itk::Image<itk::Vector<float, D>, D>;
  auto reset = [](typename Image::Pointer im) {
    typename Image::DirectionType dir;
    dir.SetIdentity();
    im->SetDirection(dir);
    typename Image::PointType origin;
    origin.Fill(0.0);
    im->SetOrigin(origin);
  };
  typename Image::Pointer fixed = itk::ReadImage<Image>(fixedPath);
  typename Image::Pointer moving = itk::ReadImage<Image>(movingPath);
  reset(fixed);
  reset(moving);
  std::vector<double> seconds;
  std::vector<double> cpuSeconds;
  typename Field::Pointer field;
  unsigned int elapsed = 0;
  double rms = 0, metric = 0;
  for (int r = 0; r < runs; ++r) {
    auto filter = itk::DiffeomorphicDemonsRegistrationFilter<Image, Image, Field>::New();
    filter->SetFixedImage(fixed);
    filter->SetMovingImage(moving);
    filter->SetNumberOfIterations(iterations);
    filter->SetStandardDeviations(sigma);
    // SimpleITK's defaults (ITK's own default MaximumRMSError is 0.02 there too; UseImageSpacing on).
    filter->SetMaximumRMSError(0.02);
    filter->SetMaximumUpdateStepLength(0.5);
    filter->SetSmoothDisplacementField(true);
    filter->SetSmoothUpdateField(false);
    filter->SetIntensityDifferenceThreshold(0.001);
    filter->SetUseFirstOrderExp(false);
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpuStart = std::clock();
    filter->Update();
    cpuSeconds.push_back(static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    field = filter->GetOutput();
    elapsed = filter->GetElapsedIterations();
    rms = filter->GetRMSChange();
    metric = filter->GetMetric();
  }
  std::FILE *out = std::fopen(fieldPath, "wb");
  if (!out) return 1;
  itk::ImageRegionConstIterator<Field> it(field, field->GetLargestPossibleRegion());
  for (it.GoToBegin(); !it.IsAtEnd(); ++it) {
    const auto v = it.Get();
    float c[D];
    for (unsigned int d = 0; d < D; ++d) c[d] = v[d];
    std::fwrite(c, sizeof(float), D, out);
  }
  std::fclose(out);
  std::printf("{\"secondsMedian\": %.6f, \"cpuSecondsMedian\": %.6f, \"iterations\": %u, \"rmsChange\": %.6g, \"metric\": %.6g, \"version\": \"%s\"}\n",
              median(seconds), median(cpuSeconds), elapsed, rms, metric, itk::Version::GetITKVersion());
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 8) {
    std::fprintf(stderr, "usage: itk-demons DIM RUNS ITERATIONS SIGMA FIXED MOVING FIELD\n");
    return 2;
  }
  const int dim = std::atoi(argv[1]);
  const int runs = std::atoi(argv[2]);
  const unsigned int iterations = std::atoi(argv[3]);
  const double sigma = std::atof(argv[4]);
  if (dim == 2) return run<2>(runs, iterations, sigma, argv[5], argv[6], argv[7]);
  if (dim == 3) return run<3>(runs, iterations, sigma, argv[5], argv[6], argv[7]);
  std::fprintf(stderr, "DIM must be 2 or 3\n");
  return 2;
}
