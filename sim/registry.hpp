// SPDX-License-Identifier: MIT
#pragma once
/// Registry<T>: name -> object, for the open sets (neuron models, layer kinds, backends,
/// exporters). A registry is an ordinary object owned by whoever builds it; there is no global one.
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/error.hpp"

namespace snnsim::sim {

template <class T>
class Registry {
 public:
  explicit Registry(std::string kind) : kind_(std::move(kind)) {}

  /// Adds an entry under `entry->name()`; a second entry of the same name is a programming error.
  void add(std::unique_ptr<const T> entry) {
    std::string key(entry->name());
    if (!entries_.emplace(key, std::move(entry)).second)
      throw std::logic_error("duplicate " + kind_ + " registration: " + key);
  }

  const T* find(std::string_view name) const {
    auto it = entries_.find(std::string(name));
    return it == entries_.end() ? nullptr : it->second.get();
  }

  /// The entry called `name`, or an Error naming `source` and `field` with the list of names.
  const T& get(std::string_view name, const std::string& source, const std::string& field) const {
    if (const T* t = find(name)) return *t;
    throw Error(source, field, "one of the " + kind_ + "s " + joined_names(),
                "'" + std::string(name) + "'");
  }

  /// Names in sorted order (for --help and `snnsim list`).
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : entries_) out.push_back(k);
    return out;
  }

  std::vector<const T*> entries() const {
    std::vector<const T*> out;
    for (const auto& [k, v] : entries_) out.push_back(v.get());
    return out;
  }

  std::string joined_names() const {
    std::string s;
    for (const auto& [k, v] : entries_) s += (s.empty() ? "" : ", ") + k;
    return s.empty() ? "(none)" : s;
  }

 private:
  std::string kind_;
  std::map<std::string, std::unique_ptr<const T>, std::less<>> entries_;
};

}  // namespace snnsim::sim
