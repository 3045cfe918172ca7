using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OfflineCirc.Web.Sessions;

/// <summary>Wiring of this feature: its services and its API endpoints.</summary>
public static class SessionsFeature
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var options = new IntakeOptions();
        configuration.GetSection("Intake").Bind(options);
        services.AddSingleton(options);
        services.AddScoped<FileIntake>();
        services.AddSingleton<LineUpkeep>();
        services.AddHostedService(sp => sp.GetRequiredService<LineUpkeep>());
        services.AddScoped<SessionService>();
        services.AddScoped<Processing>();
        services.AddTransient<ProcessSessionJob>();
        var batchSize = configuration.GetValue("Replay:BatchSize", OfflineCirc.Core.Replay.SessionProcessor.DefaultBatchSize);
        var oneTransaction = configuration.GetValue("Replay:OneTransaction", true);
        var writesBeside = configuration.GetValue("Replay:WritesBeside", true);
        var linesPerTransaction = configuration.GetValue("Replay:LinesPerTransaction", OfflineCirc.Core.Replay.SessionProcessor.DefaultLinesPerTransaction);
        foreach (var (name, value) in new[] { ("Replay:BatchSize", batchSize), ("Replay:LinesPerTransaction", linesPerTransaction) })
        {
            if (value < 1)
            {
                throw new InvalidOperationException($"{name} is {value}: it counts transactions, so it must be 1 or more.");
            }
        }
        services.AddTransient(sp =>
        {
            var processor = new OfflineCirc.Core.Replay.SessionProcessor(
                sp.GetRequiredService<Npgsql.NpgsqlDataSource>(),
                sp.GetRequiredService<ILogger<OfflineCirc.Core.Replay.SessionProcessor>>())
            { BatchSize = batchSize, OneTransactionPerRun = oneTransaction, LinesPerTransaction = linesPerTransaction, WritesBeside = writesBeside };
            // A run processed on this node is seen by this node's next status at once, not when its notice comes.
            var statuses = sp.GetRequiredService<SessionStatusCache>();
            processor.SessionChanged += statuses.Forget;
            return processor;
        });
        // The limit is enforced by intake itself; the server's own limits sit just above it so intake can answer in words.
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = options.MaxUploadBytes + 1024 * 1024);
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = options.MaxUploadBytes + 1024 * 1024);
    }

    public static void Map(RouteGroupBuilder api) => SessionEndpoints.Map(api);
}
