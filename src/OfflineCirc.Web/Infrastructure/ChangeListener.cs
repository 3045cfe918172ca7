using Npgsql;
using OfflineCirc.Web.People;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>
/// Holds one connection listening on <see cref="AccountChecks.Channel"/> and <see cref="SessionStatusCache.Channel"/>,
/// so this node hears every change to an account, a role, a claim or a token, and to a session's figures, whoever
/// makes it, and forgets what it kept of them (<see cref="HeardReadings"/>). While the connection is down nothing is
/// kept; it is opened again every second until the database answers.
/// </summary>
public sealed class ChangeListener(IConfiguration configuration, AccountChecks checks, SessionStatusCache statuses, ILogger<ChangeListener> logger)
    : BackgroundService
{
    /// <summary>How the connection shows in pg_stat_activity.</summary>
    public const string ApplicationName = "OfflineCirc changes";

    // A connection lost without a word (a cable, not a server) is found by asking the database this often.
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("Default"))
        {
            Pooling = false,
            ApplicationName = ApplicationName,
            CommandTimeout = (int)Quiet.TotalSeconds,
            Timeout = (int)Quiet.TotalSeconds,
        }.ConnectionString;
        var lost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == AccountChecks.Channel)
                    {
                        checks.Changed();
                    }
                    else if (e.Channel == SessionStatusCache.Channel)
                    {
                        statuses.Heard(e.Payload);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {AccountChecks.Channel}; LISTEN {SessionStatusCache.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                checks.SetListening(true);
                statuses.SetListening(true);
                if (lost)
                {
                    logger.LogInformation("Hearing changes again; sign-in checks and session figures are kept in memory once more");
                    lost = false;
                }
                while (true)
                {
                    if (!await connection.WaitAsync(Quiet, stoppingToken))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            // Whatever ends the connection, the node goes on checking against the database and tries again: an
            // exception left to escape would stop the whole app.
            catch (Exception e)
            {
                if (!lost)
                {
                    logger.LogWarning(e, "Not hearing changes; every sign-in check and session status reads the database until the connection is back");
                    lost = true;
                }
            }
            finally
            {
                checks.SetListening(false);
                statuses.SetListening(false);
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
