// Keeps the memory behind typed arrays alive while a job uses it off the main thread.
//
// A reference to a typed array does not keep its memory: transferring the ArrayBuffer
// (structuredClone(buf, { transfer: [buf] }), postMessage) detaches it and hands the memory to a new
// owner, which may be collected while the job still reads or writes it. Node-API has no way to hold
// the memory itself, so this holds V8's reference-counted BackingStore (Node's own headers, the way
// Node core's async crypto does); the memory is then freed only after the job has settled.
#pragma once

#include <node_api.h>

#include <memory>
#include <vector>

namespace selu_napi {

class ArrayMemoryPin {
 public:
  // On the main thread, inside a callback. Non-views (never passed by the entry points) are ignored.
  void add(napi_value typed_array);

 private:
  std::vector<std::shared_ptr<void>> stores_;
};

}  // namespace selu_napi
