//===- TrainReport.cpp - What tensorc train prints and writes -------------===//

#include "TrainReport.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

#include <algorithm>

using namespace llvm;

namespace tensorc::driver {

std::string formatEpoch(const EpochRecord &r, unsigned epochs) {
  std::string s;
  raw_string_ostream os(s);
  os << "epoch " << r.epoch << "/" << epochs << ": loss "
     << format("%.4f", r.trainLoss);
  if (r.testLoss >= 0)
    os << ", test loss " << format("%.4f", r.testLoss);
  if (r.testAccuracy >= 0)
    os << ", test accuracy " << format("%.4f", r.testAccuracy);
  os << ", " << format("%.1f", r.seconds) << " s ("
     << format("%.0f", r.examplesPerSecond) << " examples/s)";
  return s;
}

void drawProgress(raw_ostream &os, int64_t epoch, unsigned epochs,
                  int64_t batch, int64_t batches, double loss,
                  double examplesPerSecond, const std::string &eta) {
  constexpr int kWidth = 24;
  int filled = static_cast<int>(kWidth * batch / std::max<int64_t>(batches, 1));
  os << "\r\x1b[K" << "epoch " << epoch << "/" << epochs << " ["
     << std::string(filled, '=') << std::string(kWidth - filled, ' ') << "] "
     << batch << "/" << batches << " loss " << format("%.4f", loss) << " "
     << format("%.0f", examplesPerSecond) << " ex/s ETA " << eta;
  os.flush();
}

void clearProgress(raw_ostream &os) {
  os << "\r\x1b[K";
  os.flush();
}

Status TrainReport::add(const EpochRecord &r) {
  records.push_back(r);
  if (metricsPath.empty())
    return Status::success();
  json::Object line{{"epoch", r.epoch},
                    {"step", r.step},
                    {"train_loss", r.trainLoss},
                    {"seconds", r.seconds},
                    {"examples_per_second", r.examplesPerSecond}};
  if (r.testLoss >= 0)
    line["test_loss"] = r.testLoss;
  if (r.testAccuracy >= 0)
    line["test_accuracy"] = r.testAccuracy;
  std::error_code ec;
  raw_fd_ostream os(metricsPath, ec, sys::fs::OF_Append | sys::fs::OF_Text);
  if (ec)
    return Status::error("cannot write '", metricsPath, "': ", ec.message());
  os << json::Value(std::move(line)) << "\n";
  return Status::success();
}

namespace {
/// A polyline of `values` (one per epoch) scaled into the plot area.
std::string polyline(const std::vector<double> &values, double lo, double hi,
                     const char *color) {
  constexpr double kLeft = 60, kTop = 40, kWidth = 520, kHeight = 260;
  std::string s;
  raw_string_ostream os(s);
  os << "<polyline fill=\"none\" stroke=\"" << color
     << "\" stroke-width=\"2\" points=\"";
  size_t n = values.size();
  for (size_t i = 0; i < n; ++i) {
    double x = kLeft + (n == 1 ? kWidth / 2 : kWidth * i / (n - 1));
    double y = kTop + kHeight * (1 - (values[i] - lo) / (hi - lo));
    os << format("%.1f,%.1f ", x, y);
  }
  os << "\"/>\n";
  return s;
}
} // namespace

Status TrainReport::writePlot(const std::string &path,
                              const std::string &title) const {
  if (records.empty())
    return Status::success();
  std::vector<double> train, test, accuracy;
  for (const EpochRecord &r : records) {
    train.push_back(r.trainLoss);
    if (r.testLoss >= 0)
      test.push_back(r.testLoss);
    if (r.testAccuracy >= 0)
      accuracy.push_back(r.testAccuracy);
  }
  double hi = *std::max_element(train.begin(), train.end());
  for (double v : test)
    hi = std::max(hi, v);
  hi = hi > 0 ? hi * 1.1 : 1;
  std::string svg;
  raw_string_ostream os(svg);
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" "
        "height=\"340\" font-family=\"sans-serif\" font-size=\"12\">\n"
     << "<rect width=\"640\" height=\"340\" fill=\"white\"/>\n"
     << "<text x=\"60\" y=\"24\" font-size=\"14\">" << title
     << ": loss (left axis) and test accuracy (right axis, 0 to 1) per "
        "epoch</text>\n"
     << "<rect x=\"60\" y=\"40\" width=\"520\" height=\"260\" fill=\"none\" "
        "stroke=\"#888\"/>\n"
     << "<text x=\"8\" y=\"44\">" << format("%.3f", hi) << "</text>\n"
     << "<text x=\"8\" y=\"300\">0</text>\n"
     << "<text x=\"586\" y=\"44\">1</text><text x=\"586\" y=\"300\">0</text>\n"
     << "<text x=\"60\" y=\"320\">epoch 1</text><text x=\"520\" y=\"320\">"
        "epoch "
     << records.size() << "</text>\n";
  os << polyline(train, 0, hi, "#1f77b4");
  if (!test.empty())
    os << polyline(test, 0, hi, "#ff7f0e");
  if (!accuracy.empty())
    os << polyline(accuracy, 0, 1, "#2ca02c");
  os << "<text x=\"200\" y=\"320\" fill=\"#1f77b4\">train loss</text>"
        "<text x=\"290\" y=\"320\" fill=\"#ff7f0e\">test loss</text>"
        "<text x=\"370\" y=\"320\" fill=\"#2ca02c\">test accuracy</text>\n"
     << "</svg>\n";
  std::string temp = path + ".tmp";
  {
    std::error_code ec;
    raw_fd_ostream file(temp, ec);
    if (ec)
      return Status::error("cannot write '", path, "': ", ec.message());
    file << svg;
  }
  if (std::error_code ec = sys::fs::rename(temp, path))
    return Status::error("cannot write '", path, "': ", ec.message());
  return Status::success();
}

} // namespace tensorc::driver
