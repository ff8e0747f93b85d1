// SPDX-License-Identifier: MIT
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "hw_backends/lava/python_runtime.hpp"

#include "sim/error.hpp"

namespace snnsim::hw_backends::lava {

namespace {

/// An owned reference (Py_XDECREF on destruction).
class Ref {
 public:
  explicit Ref(PyObject* p = nullptr) noexcept : p_(p) {}
  Ref(Ref&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  ~Ref() { Py_XDECREF(p_); }
  PyObject* get() const noexcept { return p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }

 private:
  PyObject* p_;
};

/// Holds the GIL for its lifetime.
class Gil {
 public:
  Gil() : state_(PyGILState_Ensure()) {}
  ~Gil() { PyGILState_Release(state_); }
  Gil(const Gil&) = delete;
  Gil& operator=(const Gil&) = delete;

 private:
  PyGILState_STATE state_;
};

std::string str_of(PyObject* o) {
  if (!o) return "";
  Ref s(PyObject_Str(o));
  if (!s) {
    PyErr_Clear();
    return "?";
  }
  const char* c = PyUnicode_AsUTF8(s.get());
  if (!c) {
    PyErr_Clear();
    return "?";
  }
  return c;
}

/// "ValueError: message" of the pending exception (first line only), clearing it.
std::string take_error() {
  PyObject *type = nullptr, *value = nullptr, *trace = nullptr;
  PyErr_Fetch(&type, &value, &trace);
  PyErr_NormalizeException(&type, &value, &trace);
  Ref t(type), v(value), tb(trace);
  std::string name = "an exception";
  if (type) {
    Ref n(PyObject_GetAttrString(type, "__name__"));
    if (n) name = str_of(n.get());
    PyErr_Clear();
  }
  std::string text = str_of(value);
  if (const std::size_t nl = text.find('\n'); nl != std::string::npos) text = text.substr(0, nl);
  return text.empty() ? name : name + ": " + text;
}

}  // namespace

PythonRuntime::PythonRuntime() {
  if (!Py_IsInitialized()) {
    Py_InitializeEx(0);  // 0: leave snnsim's signal handlers alone
    PyEval_SaveThread();  // release the GIL: calls take it with PyGILState_Ensure
  }
}

PythonRuntime& PythonRuntime::instance() {
  // The interpreter is a process-wide resource by CPython's design; this is its one owner.
  static PythonRuntime runtime;
  return runtime;
}

std::string PythonRuntime::version() const {
  const Gil gil;
  return Py_GetVersion();
}

std::string PythonRuntime::call(const std::filesystem::path& module_dir, const std::string& module,
                                const std::string& function, const std::string& argument) const {
  const Gil gil;
  const std::string where = "python " + module + "." + function;
  PyObject* path = PySys_GetObject("path");  // borrowed
  Ref dir(PyUnicode_FromString(module_dir.string().c_str()));
  if (!path || !dir) throw Error(where, "sys.path", "a list", take_error());
  const int has = PySequence_Contains(path, dir.get());
  if (has < 0 || (has == 0 && PyList_Insert(path, 0, dir.get()) != 0))
    throw Error(where, "sys.path", "a list snnsim can extend", take_error());
  Ref mod(PyImport_ImportModule(module.c_str()));
  if (!mod) throw Error(where, "import " + module, "an importable module in " + module_dir.string(), take_error());
  Ref fn(PyObject_GetAttrString(mod.get(), function.c_str()));
  if (!fn || !PyCallable_Check(fn.get()))
    throw Error(where, "", "a function " + function + " in " + module, fn ? "something else" : take_error());
  Ref arg(PyUnicode_FromStringAndSize(argument.data(), static_cast<Py_ssize_t>(argument.size())));
  Ref result(PyObject_CallFunctionObjArgs(fn.get(), arg.get(), nullptr));
  if (!result) throw Error(where, "", "a result", take_error());
  const char* text = PyUnicode_Check(result.get()) ? PyUnicode_AsUTF8(result.get()) : nullptr;
  if (!text) throw Error(where, "", "a str result", "a " + std::string(Py_TYPE(result.get())->tp_name));
  return text;
}

}  // namespace snnsim::hw_backends::lava
