/* SPDX-License-Identifier: MPL-2.0 */
/* Loaded into the test Chromium with LD_PRELOAD (network-changes.ts): refuses NETLINK_ROUTE sockets, the
   ones through which Chromium watches the machine's interfaces and addresses. Without that watch Chromium
   takes the network as always up, so a Docker network or namespace that another test creates meanwhile
   no longer aborts the browser's requests with ERR_NETWORK_CHANGED. Every other socket is the real one.
   No headers: compiled with `cc -shared -fPIC -nostdlib` on any machine with a C compiler (glibc >= 2.34
   resolves dlsym from libc itself). */

#define AF_NETLINK 16
#define NETLINK_ROUTE 0
#define EAFNOSUPPORT 97
#define RTLD_NEXT ((void *)-1l)

extern void *dlsym(void *handle, const char *symbol);
extern int *__errno_location(void);

typedef int (*socket_fn)(int domain, int type, int protocol);

int socket(int domain, int type, int protocol) {
  static socket_fn real;
  if (domain == AF_NETLINK && protocol == NETLINK_ROUTE) {
    *__errno_location() = EAFNOSUPPORT;
    return -1;
  }
  if (!real) real = (socket_fn)dlsym(RTLD_NEXT, "socket");
  return real(domain, type, protocol);
}
