//===- TrainReport.h - What tensorc train prints and writes -----*- C++ -*-===//
//
// The progress bar, the line per epoch, the metrics file (one JSON object
// per epoch) and the SVG plot of loss and accuracy.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_TOOLS_TENSORC_TRAINREPORT_H
#define TENSORC_TOOLS_TENSORC_TRAINREPORT_H

#include "tensorc/status.h"

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace tensorc::driver {

struct EpochRecord {
  int64_t epoch = 0, step = 0;
  double trainLoss = 0, seconds = 0, examplesPerSecond = 0;
  double testLoss = -1, testAccuracy = -1; // -1: not measured
};

/// `epoch 2/5: loss 0.4123, test loss 0.4410, test accuracy 0.8431, ...`.
std::string formatEpoch(const EpochRecord &r, unsigned epochs);

/// Redraws the progress line (a terminal only).
void drawProgress(llvm::raw_ostream &os, int64_t epoch, unsigned epochs,
                  int64_t batch, int64_t batches, double loss,
                  double examplesPerSecond, const std::string &eta);
void clearProgress(llvm::raw_ostream &os);

class TrainReport {
public:
  /// `metricsPath` empty: no metrics file.
  explicit TrainReport(std::string metricsPath)
      : metricsPath(std::move(metricsPath)) {}
  /// Records an epoch and appends it to the metrics file.
  Status add(const EpochRecord &record);
  /// Writes the SVG plot of every recorded epoch (atomically).
  Status writePlot(const std::string &path, const std::string &title) const;

private:
  std::string metricsPath;
  std::vector<EpochRecord> records;
};

} // namespace tensorc::driver

#endif // TENSORC_TOOLS_TENSORC_TRAINREPORT_H
