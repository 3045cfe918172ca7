using System.Runtime.InteropServices;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>
/// How much of the machine's CPU this node yields to the other processes on it (docs/adr-022). A worker node replays
/// for minutes at a time, while a web node on the same machine answers people who wait for each page; the worker runs
/// at niceness 10 unless `Node:Nice` says otherwise, so the replay's own threads give way to people's requests.
/// PostgreSQL's processes keep their priority.
/// </summary>
public static class Niceness
{
    /// <summary>The worker node's niceness unless `Node:Nice` is set.</summary>
    public const int Worker = 10;

    /// <summary>`Node:Nice`, from 0 (the machine's usual priority) to 19 (the lowest); unset, 10 for a worker node and 0 for the others.</summary>
    public static int FromConfiguration(IConfiguration configuration, Node node)
    {
        var text = configuration["Node:Nice"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return node.Role == NodeRole.Worker ? Worker : 0;
        }
        return int.TryParse(text.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var nice) && nice is >= 0 and <= 19
            ? nice
            : throw new InvalidOperationException($"Node:Nice is '{text}'; it must be a whole number from 0 (the machine's usual priority) to 19 (the lowest).");
    }

    /// <summary>
    /// Sets every thread of this process to the configured niceness; the threads they start later inherit it. Called
    /// first thing, before the host starts its threads. Returns the niceness taken (0 when none was asked for, or the
    /// system has no per-thread niceness).
    /// </summary>
    public static int Apply(IConfiguration configuration)
    {
        var nice = FromConfiguration(configuration, Node.FromConfiguration(configuration));
        if (nice == 0 || !OperatingSystem.IsLinux())
        {
            return 0;
        }
        // On Linux niceness belongs to each thread, so each running thread is set; raising it needs no privilege.
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (int.TryParse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture, out var thread))
            {
                _ = SetPriority(PriorityProcess, thread, nice);
            }
        }
        return nice;
    }

    private const int PriorityProcess = 0;

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);
}
