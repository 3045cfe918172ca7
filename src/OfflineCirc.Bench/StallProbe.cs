using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OfflineCirc.Bench;

/// <summary>
/// A thread at real-time priority that asks to sleep 2 ms at a time and records each time it woke 10 ms or more late:
/// when even it is held up, the whole machine stalled (the virtual machine's host, or the kernel), and no request
/// could have been answered meanwhile, whatever the app does. Run beside the status polls, it tells such polls from the
/// app's own slow ones. Without the right to real-time priority (not root) it runs at normal priority and says so.
/// </summary>
public sealed class StallProbe : IDisposable
{
    private const double StallMilliseconds = 10;
    private readonly Stopwatch _clock;
    private readonly Thread _thread;
    private readonly List<(double End, double Milliseconds)> _stalls = [];
    private volatile bool _stop;

    /// <param name="clock">The clock the stalls are timed by, the same as the polls'.</param>
    public StallProbe(Stopwatch clock)
    {
        _clock = clock;
        _thread = new Thread(Run) { IsBackground = true, Name = "stall probe" };
        _thread.Start();
    }

    /// <summary>Whether the probe ran at real-time priority (SCHED_FIFO).</summary>
    public bool RealTime { get; private set; }

    /// <summary>Each stall: when it ended (seconds on the clock) and how long it was.</summary>
    public IReadOnlyList<(double End, double Milliseconds)> Stalls
    {
        get
        {
            lock (_stalls)
            {
                return [.. _stalls];
            }
        }
    }

    /// <summary>The longest of <paramref name="stalls"/> that overlapped the interval from <paramref name="start"/> to <paramref name="end"/> (seconds); 0 when none.</summary>
    public static double LongestWithin(IReadOnlyList<(double End, double Milliseconds)> stalls, double start, double end) =>
        stalls.Where(s => s.End >= start && s.End - s.Milliseconds / 1000 <= end).Select(s => s.Milliseconds).DefaultIfEmpty(0).Max();

    /// <summary>Puts the calling thread at real-time priority (SCHED_FIFO); false when not allowed or not on Linux.</summary>
    public static bool EnterRealTime()
    {
        // sched_setscheduler with pid 0 sets the calling thread's policy on Linux.
        var priority = 50;
        return OperatingSystem.IsLinux() && SchedSetScheduler(0, SchedFifo, ref priority) == 0;
    }

    private void Run()
    {
        RealTime = EnterRealTime();
        while (!_stop)
        {
            var before = _clock.Elapsed.TotalMilliseconds;
            Thread.Sleep(2);
            var after = _clock.Elapsed.TotalMilliseconds;
            var late = after - before - 2;
            if (late >= StallMilliseconds)
            {
                lock (_stalls)
                {
                    _stalls.Add((after / 1000, late));
                }
            }
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    private const int SchedFifo = 1;

    [DllImport("libc", EntryPoint = "sched_setscheduler")]
    private static extern int SchedSetScheduler(int pid, int policy, ref int priority);
}
