// A throwaway PKI for the TLS unit tests, made with OpenSSL's API in a temp
// directory: a CA, a server certificate for 127.0.0.1 it signs, PEM files.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace sio::net::test {

struct Pki {
  std::filesystem::path dir;
  std::string ca_cert, server_cert, server_key;

  Pki() {
    char tmpl[] = "/tmp/sio-tls-XXXXXX";
    dir = ::mkdtemp(tmpl);
    EVP_PKEY* ca_key = EVP_EC_gen("P-256");
    X509* ca = make_cert(ca_key, nullptr, ca_key, "sio test CA", 1, true);
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = make_cert(key, ca, ca_key, "127.0.0.1", 2, false);
    ca_cert = write_cert(ca, "ca.pem");
    server_cert = write_cert(cert, "server.pem");
    server_key = (dir / "server.key").string();
    FILE* f = std::fopen(server_key.c_str(), "w");
    PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    X509_free(cert);
    X509_free(ca);
    EVP_PKEY_free(key);
    EVP_PKEY_free(ca_key);
  }
  ~Pki() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  static X509* make_cert(EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key, const char* cn, long serial, bool ca) {
    X509* c = X509_new();
    X509_set_version(c, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(c), serial);
    X509_gmtime_adj(X509_getm_notBefore(c), -3600);
    X509_gmtime_adj(X509_getm_notAfter(c), 3600L * 24);
    X509_set_pubkey(c, key);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(c), "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
    X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : X509_get_subject_name(c));
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : c, c, nullptr, nullptr, 0);
    auto add = [&](int nid, const char* value) {
      X509_EXTENSION* e = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
      X509_add_ext(c, e, -1);
      X509_EXTENSION_free(e);
    };
    if (ca) {
      add(NID_basic_constraints, "critical,CA:TRUE");
      add(NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
      add(NID_subject_alt_name, "IP:127.0.0.1");
    }
    X509_sign(c, issuer_key, EVP_sha256());
    return c;
  }

  std::string write_cert(X509* c, const char* name) {
    const std::string path = (dir / name).string();
    FILE* f = std::fopen(path.c_str(), "w");
    PEM_write_X509(f, c);
    std::fclose(f);
    return path;
  }
};

}  // namespace sio::net::test
