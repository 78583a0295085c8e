#!/usr/bin/env python3
"""Summarises `perf script -F comm,ip,sym` output (call-graph samples) as the
share of samples in which each function appears (inclusive time), for our
functions (sio::), system calls and the allocator, then the top self-time
symbols. Used by bench/profile.sh.

    perf script -i perf.data -F comm,ip,sym | bench/lib/perf_summary.py [min_percent]
"""
import collections
import sys

min_percent = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
samples, cur = [], None
for line in sys.stdin:
    if not line.strip():
        continue
    if line[0] in '\t ':
        if cur is not None:
            cur.append(line.strip().split(' ', 1)[-1].replace(' (inlined)', ''))
    else:
        if cur:
            samples.append(cur)
        cur = []
if cur:
    samples.append(cur)
n = len(samples)
if not n:
    sys.exit('no samples')

inclusive, self_time = collections.Counter(), collections.Counter()
for stack in samples:
    for f in set(stack):
        inclusive[f] += 1
    self_time[stack[0]] += 1

def interesting(name):
    noise = ('boost::asio::detail::executor', 'boost::asio::detail::handler', 'boost::asio::detail::binder',
             'boost_asio_handler', 'std::__invoke', 'std::_Function_handler', 'std::__detail::__variant',
             'std::visit', 'std::__do_visit', 'boost::asio::detail::completion', 'boost::asio::async_',
             'boost::asio::detail::initiate', 'boost::asio::detail::composed')
    if name.startswith(noise):
        return False
    return 'sio::' in name or name.startswith(('__x64_sys_', '__sys_')) or name in ('malloc', '__GI___libc_malloc', '__libc_free', 'cfree@GLIBC_2.2.5')

print(f'{n} samples')
print('\ninclusive (share of samples in which the function is on the stack):')
for name, c in inclusive.most_common():
    if 100 * c / n < min_percent:
        break
    if interesting(name):
        print(f'{100 * c / n:6.1f}%  {name[:160]}')
print('\nself (top 20):')
for name, c in self_time.most_common(20):
    print(f'{100 * c / n:6.1f}%  {name[:160]}')
