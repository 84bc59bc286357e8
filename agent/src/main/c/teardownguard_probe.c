/*
 * Teardown Guard's socket probe: reads the kernel's view of one TCP socket in a single JNI call,
 * at the moment the application closes or shuts it down.
 *
 * Each system call costs 1 to 1.5 µs and JNA would add about 0.5 µs per call, so the probe is
 * one JNI entry (about 10 ns) doing one to four system calls. It only reads: no SO_ERROR
 * (reading it clears sk_err), no recv (it would consume data or the FIN), nothing that changes
 * the socket.
 *
 * Results, in out[] (io.teardownguard.agent.probe.NativeSocketProbe names the slots):
 *   out[0] TCP state, the kernel's number 1..12 (include/net/tcp_states.h)
 *   out[1] bytes received and not yet read, the FIN excluded
 *   out[2] bytes written and not yet sent: tcpi_notsent_bytes, write_seq - snd_nxt (a FIN queued
 *          behind them counts as 1)
 *   out[3] a listener's accept-queue length
 *   out[4] SO_LINGER seconds, -1 when linger is off or was not read
 *   out[5] bytes sent and not yet acknowledged: snd_nxt - snd_una, SIOCOUTQ less the above (a
 *          sent, unacknowledged FIN counts as 1)
 *   out[6] the peer's advertised receive window, tcpi_snd_wnd (Linux 5.4+), -1 when unknown
 *
 * The kernel's UAPI <linux/tcp.h> is used, not glibc's <netinet/tcp.h>: glibc's struct tcp_info
 * stops before tcpi_notsent_bytes (glibc 2.36). The two headers cannot both be included.
 */
#include <errno.h>
#include <jni.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* include/net/tcp_states.h: not exported to user space. */
#define TG_TCP_LISTEN 10

enum { OUT_STATE, OUT_UNREAD, OUT_NOT_SENT, OUT_ACCEPT_QUEUE, OUT_LINGER, OUT_UNACKED, OUT_SEND_WINDOW, OUT_SLOTS };

/*
 * quiet0's answer when a socket is not "quiet" (a listener, bytes not yet sent, an old kernel's
 * short tcp_info): the caller then reads it with probe0. Above every packed view, never negative.
 */
#define TG_QUIET_FULL ((jlong) 1 << 62)

/*
 * The common teardown's reading, packed in the return value so that the Java side allocates
 * nothing: state | unread << 8, or -errno, or TG_QUIET_FULL. The same reads as probe0 without
 * SO_LINGER, and without SIOCOUTQ: with nothing waiting to be sent, the bytes in flight and the
 * peer's window cannot hold a FIN back (KernelQueues.heldByWindow), so they change no prediction.
 */
JNIEXPORT jlong JNICALL
Java_sun_nio_ch_TeardownGuardProbe_quiet0(JNIEnv *env, jclass cls, jint fd, jboolean inputAtEof) {
    (void) env;
    (void) cls;
    struct tcp_info info;
    socklen_t info_len = sizeof info;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &info_len) != 0) {
        return -errno;
    }
    size_t notsent_end = offsetof(struct tcp_info, tcpi_notsent_bytes) + sizeof info.tcpi_notsent_bytes;
    if (info.tcpi_state == TG_TCP_LISTEN || info_len < notsent_end || info.tcpi_notsent_bytes != 0) {
        return TG_QUIET_FULL;
    }
    jlong unread = 0;
    if (!inputAtEof) {
        int queued; /* SIOCINQ, as in probe0 */
        if (ioctl(fd, SIOCINQ, &queued) != 0) {
            return -errno;
        }
        unread = queued;
    }
    return (jlong) info.tcpi_state | unread << 8;
}

JNIEXPORT jint JNICALL
Java_sun_nio_ch_TeardownGuardProbe_probe0(JNIEnv *env, jclass cls, jint fd, jboolean readLinger,
                                          jboolean inputAtEof, jlongArray out) {
    (void) cls;
    jlong values[OUT_SLOTS] = {0, 0, 0, 0, -1, 0, -1};

    /*
     * tcp_getsockopt -> tcp_get_info (net/ipv4/tcp.c). Fails for anything but a TCP socket
     * (ENOTSOCK, EOPNOTSUPP, ENOPROTOOPT) or a bad descriptor (EBADF), which is how the probe
     * tells "not a TCP socket" apart. The kernel copies min(optlen, its struct size) and returns
     * that length: an older kernel returns a shorter struct.
     */
    struct tcp_info info;
    socklen_t info_len = sizeof info;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &info_len) != 0) {
        return -errno;
    }
    values[OUT_STATE] = info.tcpi_state;

    if (info.tcpi_state == TG_TCP_LISTEN) {
        /*
         * tcp_get_info aliases fields for a listener and returns early: tcpi_unacked is
         * sk_ack_backlog, the connections waiting for accept() ("Recv-Q" in ss -lt). The ioctls
         * below answer EINVAL on a listener (tcp_ioctl), so they are skipped.
         */
        values[OUT_ACCEPT_QUEUE] = info.tcpi_unacked;
    } else {
        /*
         * SIOCINQ: tcp_ioctl -> tcp_inq (include/net/tcp.h): rcv_nxt - copied_seq, minus 1 when
         * SOCK_DONE says a FIN arrived, so the FIN is not counted as data; 0 in SYN_SENT and
         * SYN_RECV; with out-of-band data pending (not Java's default OOBINLINE) it stops at the
         * urgent mark. It works in every state but LISTEN, CLOSE included.
         */
        /*
         * Skipped when the application has already read EOF: the FIN was consumed, so every byte
         * before it was too, and nothing after a FIN is ever queued (tcp_sequence rejects it), so
         * SIOCINQ could only answer 0.
         */
        if (!inputAtEof) {
            int unread;
            if (ioctl(fd, SIOCINQ, &unread) != 0) {
                return -errno;
            }
            values[OUT_UNREAD] = unread;
        }

        /*
         * The send queue in two parts, because they decide different things: a FIN goes on the
         * wire at once unless the peer's window holds back what is queued before it, however
         * much is in flight (tcp_send_fin appends it to the last unsent skb or sends a new one;
         * tcp_nagle_test lets a FIN-bearing skb through; tcp_snd_wnd_test stops it at the
         * window's end, snd_una + snd_wnd), while a reset discards both.
         *
         * Not yet sent: tcp_get_info's tcpi_notsent_bytes (write_seq - snd_nxt, Linux 4.6+), or
         * with an older kernel's shorter struct the SIOCOUTQNSD ioctl (Linux 3.12+, the same
         * difference).
         *
         * Sent and not yet acknowledged: SIOCOUTQ (tcp_ioctl: write_seq - snd_una) less the
         * above. tcpi_unacked (packets_out outside LISTEN) says whether anything is in flight,
         * which saves that system call on the common idle socket.
         */
        size_t notsent_end =
            offsetof(struct tcp_info, tcpi_notsent_bytes) + sizeof info.tcpi_notsent_bytes;
        int not_sent;
        if (info_len >= notsent_end) {
            not_sent = (int) info.tcpi_notsent_bytes;
        } else if (ioctl(fd, SIOCOUTQNSD, &not_sent) != 0) {
            return -errno;
        }
        values[OUT_NOT_SENT] = not_sent;
        size_t snd_wnd_end = offsetof(struct tcp_info, tcpi_snd_wnd) + sizeof info.tcpi_snd_wnd;
        if (info_len >= snd_wnd_end) {
            values[OUT_SEND_WINDOW] = info.tcpi_snd_wnd;
        }
        if (info_len < notsent_end || info.tcpi_unacked > 0) {
            int queued;
            if (ioctl(fd, SIOCOUTQ, &queued) != 0) {
                return -errno;
            }
            values[OUT_UNACKED] = queued > not_sent ? queued - not_sent : 0;
        }
    }

    if (readLinger) {
        /*
         * sk_getsockopt (net/core/sock.c; sock_getsockopt before Linux 6.1): l_onoff is
         * SOCK_LINGER, l_linger is sk_lingertime in seconds. Linger on with 0 seconds (close
         * sends RST) reads 0; linger off reads -1.
         */
        struct linger linger;
        socklen_t linger_len = sizeof linger;
        if (getsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, &linger_len) != 0) {
            return -errno;
        }
        values[OUT_LINGER] = linger.l_onoff ? linger.l_linger : -1;
    }

    /* Only now, with every read done, does out[] change. */
    (*env)->SetLongArrayRegion(env, out, 0, OUT_SLOTS, values);
    return 0;
}
