namespace OfflineCirc.Bench;

/// <summary>
/// Reads a process's resident memory (VmRSS) every few milliseconds in the background. VmHWM only ever rises, so once
/// a replay has pushed it up it says nothing about a later step; the samples show whether that step itself grows.
/// </summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private double _max;

    public MemorySampler(int pid, TimeSpan every)
    {
        First = AppProcess.ResidentMemoryMiB(pid);
        _max = First ?? 0;
        _sampling = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(every);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    if (AppProcess.ResidentMemoryMiB(pid) is { } now)
                    {
                        Last = now;
                        _max = Math.Max(_max, now);
                        Samples++;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        });
    }

    /// <summary>Resident memory when sampling started, in MiB.</summary>
    public double? First { get; }

    /// <summary>The latest sample, in MiB.</summary>
    public double? Last { get; private set; }

    /// <summary>The largest sample, in MiB (the first reading included).</summary>
    public double Max => _max;

    public int Samples { get; private set; }

    /// <summary>Stops sampling.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
