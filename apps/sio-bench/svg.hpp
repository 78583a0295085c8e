// Small inline-SVG line charts for the HTML report: axes with ticks, one
// polyline per series, a legend. No scripts, no fonts to fetch.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sio::bench::svg {

struct Series {
  std::string name;
  std::string color;                               // CSS colour
  std::vector<std::pair<double, double>> points;   // (x, y), x ascending
  bool steps = false;                              // draw as a step line
};

struct Tick {
  double at;
  std::string label;
};

struct Chart {
  std::string title;
  std::string x_label, y_label;
  bool log_x = false;           // x values > 0, drawn on a log10 scale
  std::vector<Tick> x_ticks;    // empty: chosen automatically
  std::string (*y_format)(double) = nullptr;  // tick labels; null: plain numbers
};

std::string line_chart(const Chart& c, const std::vector<Series>& series);

std::string escape(std::string_view s);

}  // namespace sio::bench::svg
