/* sample-hello: a freestanding x86_64 program (no libc) linked against
   libsamplefoo.so.1, so rpm derives Requires: libsamplefoo.so.1()(64bit)
   and find-debuginfo produces a real sample-hello-debuginfo. */
#include "samplefoo.h"

static long sys_write(int fd, const char *buf, unsigned long len)
{
    long ret;
    __asm__ volatile ("syscall" : "=a"(ret) : "a"(1L), "D"((long)fd), "S"(buf), "d"(len) : "rcx", "r11", "memory");
    return ret;
}

static void sys_exit(int code)
{
    __asm__ volatile ("syscall" : : "a"(60L), "D"((long)code));
    for (;;) { }
}

static unsigned long length(const char *s)
{
    unsigned long n = 0;
    while (s[n] != '\0')
        n++;
    return n;
}

void _start(void)
{
    const char *g = samplefoo_greeting();
    sys_write(1, g, length(g));
    sys_exit(samplefoo_answer() == 42 ? 0 : 1);
}
