// Peer for the cold-start benchmark: a whole process that reads two label maps (uint8) and prints ITK's
// HausdorffDistanceImageFilter result (spacing-aware), as a user would run it. Timed as a process by
// scripts/bench-startup.ts; built when Debian's libinsighttoolkit5-dev is installed; never a project dependency.
#include <cstdio>
#include "itkHausdorffDistanceImageFilter.h"
#include "itkImage.h"
#include "itkImageFileReader.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: itk-hausdorff A B\n");
    return 2;
  }
  using Labels = itk::Image<unsigned char, 3>;
  auto a = itk::ReadImage<Labels>(argv[1]);
  auto b = itk::ReadImage<Labels>(argv[2]);
  auto filter = itk::HausdorffDistanceImageFilter<Labels, Labels>::New();
  filter->SetInput1(a);
  filter->SetInput2(b);
  filter->SetUseImageSpacing(true);
  filter->Update();
  std::printf("{\"hausdorff\": %.6f, \"averageHausdorff\": %.6f}\n", filter->GetHausdorffDistance(), filter->GetAverageHausdorffDistance());
  return 0;
}
