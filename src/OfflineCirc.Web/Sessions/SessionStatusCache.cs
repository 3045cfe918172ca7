using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;
using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Web.Sessions;

/// <summary>
/// What <c>GET /api/sessions/{id}</c> answers, kept in memory per session and reach while this node hears every change
/// to a session's figures (docs/adr-021, <see cref="HeardReadings"/>). A trigger on the sessions, their running counts,
/// their files and the org units notifies <see cref="Channel"/> with the session's id (or with nothing, for every
/// session) when a change commits, whoever makes it; <see cref="ChangeListener"/> hears it and calls
/// <see cref="Heard"/>. A poll then finds the figures in memory, with no round trip to PostgreSQL, which on two busy
/// cores is most of what a poll waits for (docs/adr-018, findings 36 and 43).
/// </summary>
/// <remarks>
/// <para>
/// On a notice everything kept is forgotten, and the session's own readings are read again at once, off any request:
/// a replay commits a batch every second or two while the session's page polls four times a second, so the next poll
/// finds the new figures in memory instead of asking the database beside the replay. A poll that comes before they
/// are read gets the figures from before the change, for <see cref="Grace"/> at most.
/// </para>
/// <para>
/// Changes this node makes are forgotten before they are answered, not when their notice comes: a request that may
/// change a session (anything but a read) forgets everything when it begins and again as its answer starts
/// (<see cref="ForgetOwnChanges"/>), and a run processed here forgets after its start, each batch and its end.
/// </para>
/// </remarks>
public sealed class SessionStatusCache
{
    public const string Channel = "session_changes";

    /// <summary>The longest a reading is used, heard changes or not.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>The longest a poll is answered from before a change heard of, while the session is read again.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    // Far more sessions and reaches than are polled at once; past it, everything is forgotten.
    private const int MaxEntries = 10_000;

    private readonly HeardReadings _heard = new(Lifetime, MaxEntries);
    private readonly HeardReadings.Shelf<(long Session, int Reach), SessionReading> _readings;
    private readonly ConcurrentDictionary<(long Session, int Reach), (SessionReading Reading, long Until)> _previous = new();
    private readonly NpgsqlDataSource _reads;
    private readonly ILogger<SessionStatusCache> _logger;

    public SessionStatusCache([FromKeyedServices(Database.Reads)] NpgsqlDataSource reads, ILogger<SessionStatusCache> logger)
    {
        _reads = reads;
        _logger = logger;
        _readings = _heard.NewShelf<(long, int), SessionReading>();
    }

    /// <summary>
    /// The session's figures and files as the caller may see them (null outside <paramref name="reach"/>), and whether
    /// they came from memory.
    /// </summary>
    public async Task<(SessionReading? Reading, bool Kept)> ReadAsync(long id, int? reach, CancellationToken ct)
    {
        if (reach is not { } key)
        {
            return (null, false);
        }
        if (_readings.TryGet((id, key), out var kept, out var renew))
        {
            // Read again before it expires, so a session polled with no change heard never waits for the database.
            if (renew)
            {
                ReadAgain([(id, key)]);
            }
            return (kept, true);
        }
        if (Previous((id, key)) is { } previous)
        {
            return (previous, true);
        }
        var generation = _heard.Generation;
        var reading = await SessionService.ReadStatusAsync(_reads, id, key, ct);
        if (reading is not null)
        {
            _readings.Keep((id, key), reading, generation);
        }
        return (reading, false);
    }

    /// <summary>
    /// A notice: the session named (or, with no name, any session) changed. The named session's figures are read again
    /// at once; until they are, for <see cref="Grace"/> at most, a poll gets the figures from before the change, as it
    /// would have had the notice come a moment later. Only changes this node heard of are answered so: its own are
    /// forgotten outright (<see cref="Forget()"/>, <see cref="Forget(long)"/>).
    /// </summary>
    public void Heard(string payload)
    {
        if (!long.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            Forget();
            return;
        }
        var until = Environment.TickCount64 + (long)Grace.TotalMilliseconds;
        var again = KeysOf(id);
        foreach (var key in again)
        {
            if (_readings.TryGet(key, out var reading))
            {
                _previous[key] = (reading, until);
            }
        }
        _heard.Changed();
        ReadAgain(again);
    }

    /// <summary>Forgets everything: this node changed, or is about to change, a session.</summary>
    public void Forget()
    {
        _heard.Changed();
        _previous.Clear();
    }

    /// <summary>
    /// Forgets everything after this node committed a change to session <paramref name="id"/> (a run processed here),
    /// then reads that session's figures again at once for each reach they were kept under.
    /// </summary>
    public void Forget(long id)
    {
        var again = KeysOf(id);
        Forget();
        ReadAgain(again);
    }

    /// <summary>Changes are heard from now on, or no longer; either way, what was kept is forgotten.</summary>
    internal void SetListening(bool listening)
    {
        _heard.SetListening(listening);
        _previous.Clear();
    }

    private (long Session, int Reach)[] KeysOf(long id) => [.. _readings.Keys.Where(k => k.Session == id)];

    private SessionReading? Previous((long Session, int Reach) key) =>
        _heard.Listening && _previous.TryGetValue(key, out var previous) && Environment.TickCount64 < previous.Until ? previous.Reading : null;

    private void ReadAgain((long Session, int Reach)[] keys)
    {
        if (keys.Length > 0)
        {
            _ = ReadAgainAsync(keys);
        }
    }

    private async Task ReadAgainAsync((long Session, int Reach)[] keys)
    {
        foreach (var key in keys)
        {
            await _readings.ReadAgainAsync(key, c => SessionService.ReadStatusAsync(_reads, key.Session, key.Reach, c), _logger);
            _previous.TryRemove(key, out _);
        }
    }

    /// <summary>
    /// Forgets every kept status when a request that may change a session begins, and again as its answer starts, after
    /// its change committed: a client's next request, on this node, never sees the figures from before its own change.
    /// </summary>
    public static IApplicationBuilder ForgetOwnChanges(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method)))
        {
            var cache = context.RequestServices.GetRequiredService<SessionStatusCache>();
            cache.Forget();
            context.Response.OnStarting(() =>
            {
                cache.Forget();
                return Task.CompletedTask;
            });
        }
        await next(context);
    });
}
