#include "wire/http_coding.hpp"

#include <cstdlib>
#include <string>

namespace sio::wire {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// A leading decimal number as JavaScript's parseFloat reads one ("0.5",
// "1", ".3", "0.5xyz"; an exponent is not read: q-values have none); what
// parseFloat reads as NaN gives -1, with which no coding is accepted.
double leading_number(std::string_view s) {
  s = trim(s);
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const std::size_t digits_from = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  const std::string_view num = s.substr(0, i);
  if (i == digits_from || num == "." || num.substr(digits_from) == ".") return -1;
  return std::strtod(std::string(num).c_str(), nullptr);
}

// One element of the list: "name", "name;q=0.5", "name ; x=y ; q=1".
struct Spec {
  std::string_view name;
  double q = 1;
  bool valid = false;
};

Spec parse_element(std::string_view element) {
  Spec s;
  element = trim(element);
  const std::size_t semi = element.find(';');
  const std::string_view name = trim(element.substr(0, semi));
  // The name: no whitespace or ';' inside, at least one character.
  if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) return s;
  s.name = name;
  s.valid = true;
  for (std::size_t pos = semi; pos != std::string_view::npos;) {
    const std::size_t next = element.find(';', pos + 1);
    const std::string_view param = trim(element.substr(pos + 1, next == std::string_view::npos ? next : next - pos - 1));
    const std::size_t eq = param.find('=');
    if (param.substr(0, eq) == "q") {  // exactly "q" before the "=": "q= 0.5" counts, "q =0.5" does not
      s.q = eq == std::string_view::npos ? -1 : leading_number(param.substr(eq + 1));
      break;  // the first q counts
    }
    pos = next;
  }
  return s;
}

// How one offered coding is accepted: its best matching element.
struct Priority {
  double q = 0;
  int exact = 0;   // 1: named, 0: by "*"
  int order = -1;  // the element's index in the header
};

}  // namespace

ContentCoding preferred_coding(std::string_view accept_encoding) {
  constexpr ContentCoding offered[] = {ContentCoding::gzip, ContentCoding::deflate};
  Priority best[2];
  int index = 0;
  for (std::size_t pos = 0;; ++index) {
    const std::size_t comma = accept_encoding.find(',', pos);
    const Spec spec = parse_element(accept_encoding.substr(pos, comma == std::string_view::npos ? comma : comma - pos));
    if (spec.valid) {
      for (int k = 0; k < 2; ++k) {
        const bool exact = iequals(spec.name, coding_name(offered[k]));
        if (!exact && spec.name != "*") continue;
        const Priority p{spec.q, exact ? 1 : 0, index};
        Priority& b = best[k];
        // A more specific element wins, then a higher q, then a later one.
        if (b.order < 0 || p.exact > b.exact || (p.exact == b.exact && (p.q > b.q || (p.q == b.q && p.order > b.order))))
          b = p;
      }
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  int pick = -1;
  for (int k = 0; k < 2; ++k) {
    const Priority& p = best[k];
    if (p.order < 0 || !(p.q > 0)) continue;
    if (pick < 0) { pick = k; continue; }
    const Priority& o = best[pick];
    // Higher q, then exact, then earlier in the header, then the offer order.
    if (p.q > o.q || (p.q == o.q && (p.exact > o.exact || (p.exact == o.exact && p.order < o.order)))) pick = k;
  }
  return pick < 0 ? ContentCoding::identity : offered[pick];
}

}  // namespace sio::wire
