// Runs middlewares one after the other: each gets the target and a Next;
// next() runs the following one, next(error) stops the chain. Next may be
// called from any thread, later: the chain always continues on `loop`.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <sio/middleware.hpp>

#include "engine/loop.hpp"

namespace sio::io {

template <class T>
using Middleware = std::function<void(T&, Next)>;
template <class T>
using Middlewares = std::shared_ptr<const std::vector<Middleware<T>>>;
using ChainDone = std::function<void(std::optional<Error>)>;

// `keep` keeps `target` alive until the chain ends.
template <class T>
void run_chain(engine::Loop& loop, Middlewares<T> fns, T& target, std::shared_ptr<void> keep, ChainDone done,
               std::size_t i = 0) {
  if (!fns || i == fns->size()) {
    done(std::nullopt);
    return;
  }
  const Middleware<T>& fn = (*fns)[i];
  fn(target, Next([&loop, fns, &target, keep, done, i](std::optional<Error> err) {
    loop.dispatch([&loop, fns, &target, keep, done, i, err = std::move(err)]() mutable {
      if (err) {
        done(std::move(err));
      } else {
        run_chain(loop, fns, target, keep, done, i + 1);
      }
    });
  }));
}

}  // namespace sio::io
