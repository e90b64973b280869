#include "integration/vip_network.h"

#include <unistd.h>

#include <fstream>

#include "support/mariadb_server.h"

namespace binrelay::test {

namespace {

void ip(const std::string& args) {
  run_command("ip " + args + " 2>&1");
}

}  // namespace

bool vip_network::available() {
  std::string name = "brvprobe" + std::to_string(getpid());
  try {
    ip("netns add " + name);
  } catch (const std::exception&) {
    return false;
  }
  ip("netns del " + name);
  return true;
}

vip_network::vip_network()
    : tag_("brv" + std::to_string(getpid() % 100000)),
      lan_(tag_ + "-lan"),
      masters_{tag_ + "-m1", tag_ + "-m2"},
      host_if_(tag_ + "h"),
      subnet_(getpid() % 250 + 1) {
  try {
    build();
  } catch (...) {
    tear_down();
    throw;
  }
}

vip_network::~vip_network() {
  tear_down();
}

std::string vip_network::address(int i) const {
  return "10.213." + std::to_string(subnet_) + "." + std::to_string(i);
}

std::string vip_network::vip() const {
  return address(100);
}

void vip_network::build() {
  ip("netns add " + lan_);
  ip("-n " + lan_ + " link add br0 type bridge");
  ip("-n " + lan_ + " link set br0 up");
  ip("-n " + lan_ + " link set lo up");
  for (int i = 1; i <= 2; ++i) {
    const std::string& m = ns(i);
    std::string lan_end = "l" + std::to_string(i);
    ip("netns add " + m);
    ip("-n " + m + " link set lo up");
    ip("-n " + m + " link add eth0 type veth peer name " + lan_end + " netns " + lan_);
    ip("-n " + m + " addr add " + address(i) + "/24 dev eth0");
    ip("-n " + m + " link set eth0 up");
    ip("-n " + lan_ + " link set " + lan_end + " master br0");
    ip("-n " + lan_ + " link set " + lan_end + " up");
  }
  ip("link add " + host_if_ + " type veth peer name lh netns " + lan_);
  ip("addr add " + address(254) + "/24 dev " + host_if_);
  ip("link set " + host_if_ + " up");
  ip("-n " + lan_ + " link set lh master br0");
  ip("-n " + lan_ + " link set lh up");
}

void vip_network::tear_down() noexcept {
  for (const std::string& n : {masters_[0], masters_[1], lan_}) {
    try {
      // Whatever still runs in our namespace was started by this test: end it by pid.
      run_command("for p in $(ip netns pids " + n + " 2>/dev/null); do kill -9 $p; done");
      ip("netns del " + n);
    } catch (const std::exception&) {
      // not created (a failed build), or already gone
    }
  }
  try {
    ip("link del " + host_if_);  // normally gone with the lan namespace
  } catch (const std::exception&) {
  }
}

bool vip_network::holds_vip(int i) const {
  return run_command("ip -n " + ns(i) + " -4 addr show dev eth0").find(vip() + "/") !=
         std::string::npos;
}

keepalived_process::keepalived_process(const vip_network& net, int i, const std::string& socket,
                                       const temp_dir& dir) {
  std::string name = "keepalived-m" + std::to_string(i);
  auto conf = dir.path() / (name + ".conf");
  std::ofstream(conf) << "global_defs {\n  router_id " << net.ns(i)
                      << "\n  script_user root\n  enable_script_security\n}\n"
                      << "vrrp_script mariadbd_alive {\n"
                      << "  script \"/usr/bin/mariadb-admin --no-defaults -uroot --socket="
                      << socket << " ping\"\n"
                      << "  interval 1\n  timeout 2\n  fall 1\n  rise 1\n}\n"
                      << "vrrp_instance vip {\n  state " << (i == 1 ? "MASTER" : "BACKUP")
                      << "\n  interface eth0\n  virtual_router_id 51\n  priority "
                      << (i == 1 ? 150 : 100) << "\n  advert_int 1\n"
                      << "  virtual_ipaddress {\n    " << net.vip() << "/24 dev eth0\n  }\n"
                      << "  track_script {\n    mariadbd_alive\n  }\n}\n";
  std::vector<std::string> args = net.launcher(i);
  for (const std::string& a :
       {std::string("keepalived"), std::string("--dont-fork"), std::string("--log-console"),
        std::string("--log-detail"), std::string("--vrrp"), "--use-file=" + conf.string(),
        "--pid=" + (dir.path() / (name + ".pid")).string(),
        "--vrrp_pid=" + (dir.path() / (name + "-vrrp.pid")).string()}) {
    args.push_back(a);
  }
  process_ = std::make_unique<child_process>(args, dir.path() / (name + ".log"));
}

keepalived_process::~keepalived_process() {
  try {
    process_->terminate(std::chrono::seconds(10));
  } catch (...) {
  }
}

}  // namespace binrelay::test
