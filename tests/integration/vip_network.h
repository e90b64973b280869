#pragma once
// vip_network: a private network for failover tests, built with Linux network namespaces the
// test owns and removes (RAII, also when the test fails):
//
//   host ── veth ──┐
//   ns "m1" eth0 ──┤ bridge in ns "lan"      subnet 10.213.<n>.0/24, <n> from our pid:
//   ns "m2" eth0 ──┘                          host .254, m1 .1, m2 .2, the VIP .100
//
// Servers started with `launcher(i)` run inside master i's namespace and are reachable from
// the host at address(i); keepalived (keepalived_process) moves the VIP between them.
// Needs root and `ip netns`; available() says whether this host allows it.
//
// Not thread-safe. Processes left in the namespaces are SIGKILLed (by pid) before the
// namespaces are deleted.

#include <memory>
#include <string>
#include <vector>

#include "support/processes.h"

namespace binrelay::test {

class vip_network {
 public:
  // Builds the namespaces and links; throws with `ip`'s message on failure.
  vip_network();
  ~vip_network();
  vip_network(const vip_network&) = delete;
  vip_network& operator=(const vip_network&) = delete;

  // True when `ip netns add` works here (tried with a throwaway namespace).
  static bool available();

  // i = 1 or 2.
  std::string address(int i) const;
  std::string vip() const;
  const std::string& ns(int i) const { return masters_[i - 1]; }
  std::vector<std::string> launcher(int i) const { return {"ip", "netns", "exec", ns(i)}; }
  // True when master i's eth0 holds the VIP now.
  bool holds_vip(int i) const;

 private:
  void build();
  void tear_down() noexcept;

  std::string tag_;
  std::string lan_;
  std::string masters_[2];
  std::string host_if_;
  int subnet_ = 0;
};

// keepalived (VRRP only) in master i's namespace: the VIP on the highest-priority master
// whose mariadbd answers `mariadb-admin ping` on `socket` (a vrrp_script every second, one
// failure is enough). Stopped with SIGTERM (so its VRRP child ends too) on destruction.
class keepalived_process {
 public:
  keepalived_process(const vip_network& net, int i, const std::string& socket, const temp_dir& dir);
  ~keepalived_process();
  std::string log() const { return process_->log(); }

 private:
  std::unique_ptr<child_process> process_;
};

}  // namespace binrelay::test
