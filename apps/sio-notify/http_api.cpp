#include "http_api.hpp"

#include <chrono>
#include <optional>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "token.hpp"

namespace notify {
namespace {

namespace json = boost::json;

void reply(sio::HttpResponse& res, int status, const json::object& body) {
  res.status = status;
  res.content_type = "application/json";
  res.body = json::serialize(body);
  res.headers["Cache-Control"] = "no-store";
}

void refuse(sio::HttpResponse& res, const Refusal& r) {
  reply(res, r.status, json::object{{"error", r.code}, {"message", r.message}});
}

// The body as JSON, or a refusal (wrong method, too large, not JSON).
std::optional<json::value> read_json(const sio::HttpRequest& req, std::size_t max, sio::HttpResponse& res) {
  if (req.method() != "POST") {
    refuse(res, {405, "method-not-allowed", "use POST"});
    res.headers["Allow"] = "POST";
    return std::nullopt;
  }
  if (req.body().size() > max) {
    refuse(res, {413, "too-large", "the body is over " + std::to_string(max) + " bytes"});
    return std::nullopt;
  }
  std::string_view type = req.header("content-type").value_or("");
  if (type.substr(0, type.find(';')) != "application/json") {
    refuse(res, {415, "not-json", "send Content-Type: application/json"});
    return std::nullopt;
  }
  boost::system::error_code ec;
  json::value v = json::parse(req.body(), ec);
  if (ec) {
    refuse(res, {400, "bad-json", "the body is not JSON: " + ec.message()});
    return std::nullopt;
  }
  return v;
}

}  // namespace

bool HttpApi::handle(const sio::HttpRequest& req, sio::HttpResponse& res) const {
  if (req.path() == "/login") {
    login(req, res);
    return true;
  }
  if (req.path() == "/notify") {
    notify(req, res);
    return true;
  }
  return false;
}

// Anyone may sign in under any valid name: this demo has no passwords. The
// token proves only that this server issued it for that name.
void HttpApi::login(const sio::HttpRequest& req, sio::HttpResponse& res) const {
  std::optional<json::value> v = read_json(req, config_.max_request, res);
  if (!v) return;
  const json::value* name = v->is_object() ? v->as_object().if_contains("name") : nullptr;
  if (!name || !name->is_string() || !valid_name(name->get_string())) {
    return refuse(res, {400, "bad-name", "a name is 1-32 of A-Z a-z 0-9 _ -"});
  }
  using namespace std::chrono;
  const std::int64_t expires = duration_cast<seconds>(system_clock::now().time_since_epoch()).count() +
                               config_.token_ttl_s;
  const std::string user(name->get_string());
  reply(res, 200,
        json::object{{"token", issue_token(config_.secret, user, expires)}, {"user", user}, {"expires", expires}});
}

void HttpApi::notify(const sio::HttpRequest& req, sio::HttpResponse& res) const {
  // The secret first: nothing about the body is told to a caller without it.
  std::string_view auth = req.header("authorization").value_or("");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.substr(0, kBearer.size()) != kBearer || !equal_secret(auth.substr(kBearer.size()), config_.secret)) {
    refuse(res, {401, "unauthorized", "send Authorization: Bearer <the server's secret>"});
    res.headers["WWW-Authenticate"] = "Bearer";
    return;
  }
  std::optional<json::value> v = read_json(req, config_.max_request, res);
  if (!v) return;
  auto parsed = parse_notice(*v, config_.notice);
  if (auto* r = std::get_if<Refusal>(&parsed)) return refuse(res, *r);
  reply(res, 202, deliver_(std::get<Notice>(parsed)));
}

}  // namespace notify
