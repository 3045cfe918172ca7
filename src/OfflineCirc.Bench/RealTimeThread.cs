using System.Collections.Concurrent;

namespace OfflineCirc.Bench;

/// <summary>
/// A thread of its own, at real-time priority where allowed (root), that runs the benchmark's status polls one at a
/// time, synchronously from the request to the last byte of the answer. A person's browser polls from a machine of its
/// own; the benchmark's client shares the server's two cores, and a poll whose answer waited for the client to get a
/// core back timed the client, not the server. From this thread a poll's time is the server's and the network's.
/// </summary>
public sealed class RealTimeThread
{
    private readonly BlockingCollection<Action> _work = [];

    private RealTimeThread(string name) => new Thread(Run) { IsBackground = true, Name = name }.Start();

    /// <summary>The one thread the status polls run on.</summary>
    public static RealTimeThread Polls { get; } = new("status polls");

    /// <summary>Whether the thread runs at real-time priority (SCHED_FIFO); known once it has run something.</summary>
    public bool RealTime { get; private set; }

    /// <summary>Runs <paramref name="work"/> on the thread, after what was asked before it.</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                done.SetResult(work());
            }
#pragma warning disable CA1031 // Handed to the caller, who awaits it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    private void Run()
    {
        RealTime = StallProbe.EnterRealTime();
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }
}
