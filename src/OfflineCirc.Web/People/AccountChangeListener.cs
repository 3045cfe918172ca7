using Npgsql;

namespace OfflineCirc.Web.People;

/// <summary>
/// Holds one connection listening on <see cref="AccountChecks.Channel"/>, so this node hears every change to an account,
/// a role, a claim or a token, whoever makes it, and forgets its sign-in readings (<see cref="AccountChecks"/>). While
/// the connection is down nothing is kept; it is opened again every second until the database answers.
/// </summary>
public sealed class AccountChangeListener(IConfiguration configuration, AccountChecks checks, ILogger<AccountChangeListener> logger)
    : BackgroundService
{
    /// <summary>How the connection shows in pg_stat_activity.</summary>
    public const string ApplicationName = "OfflineCirc account changes";

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
                connection.Notification += (_, _) => checks.Changed();
                await using (var listen = new NpgsqlCommand($"LISTEN {AccountChecks.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                checks.SetListening(true);
                if (lost)
                {
                    logger.LogInformation("Hearing account changes again; sign-in checks are kept in memory once more");
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
                    logger.LogWarning(e, "Not hearing account changes; every sign-in check reads the database until the connection is back");
                    lost = true;
                }
            }
            finally
            {
                checks.SetListening(false);
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
