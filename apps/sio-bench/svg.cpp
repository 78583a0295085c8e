#include "svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sio::bench::svg {

namespace {

constexpr double kW = 760, kH = 320;                       // whole chart
constexpr double kLeft = 70, kRight = 20, kTop = 36, kBottom = 48;  // plot margins

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string plain(double v) {
  char buf[32];
  if (std::abs(v) >= 1e6) std::snprintf(buf, sizeof buf, "%.3gM", v / 1e6);
  else if (std::abs(v) >= 1e3) std::snprintf(buf, sizeof buf, "%.3gk", v / 1e3);
  else std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// About `n` round-numbered ticks covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int n) {
  std::vector<double> out;
  if (!(hi > lo)) return {lo};
  const double raw = (hi - lo) / n;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag) {
      step = m * mag;
      break;
    }
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push_back(v);
  return out;
}

}  // namespace

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string line_chart(const Chart& c, const std::vector<Series>& series) {
  double x0 = INFINITY, x1 = -INFINITY, y1 = 0;
  auto fx = [&](double x) { return c.log_x ? std::log10(std::max(x, 1e-12)) : x; };
  for (const auto& s : series)
    for (auto [x, y] : s.points) {
      x0 = std::min(x0, fx(x));
      x1 = std::max(x1, fx(x));
      y1 = std::max(y1, y);
    }
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(kW) + "\" height=\"" + num(kH) +
                    "\" viewBox=\"0 0 " + num(kW) + " " + num(kH) + "\" font-family=\"sans-serif\" font-size=\"11\">";
  out += "<text x=\"" + num(kW / 2) + "\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">" + escape(c.title) + "</text>";
  if (!std::isfinite(x0)) return out + "<text x=\"" + num(kW / 2) + "\" y=\"" + num(kH / 2) +
                                 "\" text-anchor=\"middle\">no data</text></svg>";
  if (x1 <= x0) x1 = x0 + 1;
  const std::vector<double> yt = nice_ticks(0, y1 > 0 ? y1 : 1, 5);
  y1 = std::max(y1, yt.back());
  const double pw = kW - kLeft - kRight, ph = kH - kTop - kBottom;
  auto px = [&](double x) { return kLeft + (fx(x) - x0) / (x1 - x0) * pw; };
  auto py = [&](double y) { return kTop + ph - y / y1 * ph; };

  // Axes and grid.
  for (double v : yt) {
    out += "<line x1=\"" + num(kLeft) + "\" x2=\"" + num(kLeft + pw) + "\" y1=\"" + num(py(v)) + "\" y2=\"" +
           num(py(v)) + "\" stroke=\"#ddd\"/>";
    out += "<text x=\"" + num(kLeft - 6) + "\" y=\"" + num(py(v) + 4) + "\" text-anchor=\"end\">" +
           escape(c.y_format ? c.y_format(v) : plain(v)) + "</text>";
  }
  std::vector<Tick> xt = c.x_ticks;
  if (xt.empty()) {
    if (c.log_x) {
      for (double e = std::floor(x0); e <= std::ceil(x1); ++e)
        for (double m : {1.0, 2.0, 5.0}) {
          const double v = m * std::pow(10, e);
          if (std::log10(v) >= x0 - 1e-9 && std::log10(v) <= x1 + 1e-9) xt.push_back({v, plain(v)});
        }
    } else {
      for (double v : nice_ticks(x0, x1, 8)) xt.push_back({v, plain(v)});
    }
  }
  for (const Tick& t : xt) {
    const double x = px(t.at);
    if (x < kLeft - 0.5 || x > kLeft + pw + 0.5) continue;
    out += "<line x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" + num(kTop) + "\" y2=\"" + num(kTop + ph) +
           "\" stroke=\"#eee\"/>";
    out += "<text x=\"" + num(x) + "\" y=\"" + num(kTop + ph + 15) + "\" text-anchor=\"middle\">" + escape(t.label) +
           "</text>";
  }
  out += "<rect x=\"" + num(kLeft) + "\" y=\"" + num(kTop) + "\" width=\"" + num(pw) + "\" height=\"" + num(ph) +
         "\" fill=\"none\" stroke=\"#888\"/>";
  out += "<text x=\"" + num(kLeft + pw / 2) + "\" y=\"" + num(kH - 8) + "\" text-anchor=\"middle\">" +
         escape(c.x_label) + "</text>";
  out += "<text transform=\"translate(14 " + num(kTop + ph / 2) + ") rotate(-90)\" text-anchor=\"middle\">" +
         escape(c.y_label) + "</text>";

  // Series and legend.
  double lx = kLeft + 8;
  for (const auto& s : series) {
    std::string pts;
    double prev_y = 0;
    bool first = true;
    for (auto [x, y] : s.points) {
      if (s.steps && !first) pts += num(px(x)) + "," + num(py(prev_y)) + " ";
      pts += num(px(x)) + "," + num(py(y)) + " ";
      prev_y = y;
      first = false;
    }
    out += "<polyline fill=\"none\" stroke=\"" + s.color + "\" stroke-width=\"1.8\" points=\"" + pts + "\"/>";
    out += "<rect x=\"" + num(lx) + "\" y=\"" + num(kTop + 6) + "\" width=\"10\" height=\"10\" fill=\"" + s.color + "\"/>";
    out += "<text x=\"" + num(lx + 14) + "\" y=\"" + num(kTop + 15) + "\">" + escape(s.name) + "</text>";
    lx += 24 + 7 * static_cast<double>(s.name.size());
  }
  return out + "</svg>";
}

}  // namespace sio::bench::svg
