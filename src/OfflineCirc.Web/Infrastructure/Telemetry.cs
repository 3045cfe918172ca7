using Hangfire;
using Npgsql;
using OfflineCirc.Core.Replay;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>
/// OpenTelemetry metrics and traces of ASP.NET Core, Npgsql and the replay, off unless configured:
/// `Telemetry:Prometheus=true` serves metrics at `Telemetry:MetricsPath` (default /metrics) for scraping;
/// `Telemetry:OtlpEndpoint` sends traces (and metrics) to an OpenTelemetry collector.
/// </summary>
public static class Telemetry
{
    private const string JobsMeterName = "OfflineCirc.Jobs";

    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var prometheus = config.GetValue("Telemetry:Prometheus", false);
        var otlp = config["Telemetry:OtlpEndpoint"];
        if (!prometheus && string.IsNullOrWhiteSpace(otlp))
        {
            return;
        }
        var node = Node.FromConfiguration(config);
        builder.Services.AddSingleton<JobQueueGauge>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("offlinecirc", serviceInstanceId: node.Name)
                .AddAttributes([new("offlinecirc.node.role", node.Role.ToString().ToLowerInvariant())]))
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddMeter(ReplayMetrics.MeterName, JobsMeterName);
                if (prometheus)
                {
                    m.AddPrometheusExporter();
                }
                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    m.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            })
            .WithTracing(t =>
            {
                t.AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/healthz"))
                    .AddNpgsql();
                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    t.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            });
    }

    public static void MapTelemetry(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Telemetry:Prometheus", false))
        {
            return;
        }
        // Created now so its gauge is registered before the first scrape.
        app.Services.GetRequiredService<JobQueueGauge>();
        app.MapPrometheusScrapingEndpoint(app.Configuration["Telemetry:MetricsPath"] ?? "/metrics").AllowAnonymous();
    }

    /// <summary>Runs waiting in Hangfire's queue, read from the storage when scraped.</summary>
    private sealed class JobQueueGauge : IDisposable
    {
        private readonly System.Diagnostics.Metrics.Meter _meter = new(JobsMeterName);

        public JobQueueGauge(JobStorage storage, ILogger<JobQueueGauge> logger)
        {
            _meter.CreateObservableGauge("offlinecirc.jobs.enqueued", () =>
            {
                try
                {
                    return storage.GetMonitoringApi().EnqueuedCount("default");
                }
                catch (NpgsqlException e)
                {
                    logger.LogDebug(e, "The job queue could not be counted");
                    return 0L;
                }
            }, "{job}", "Replay jobs waiting in the queue for a worker.");
        }

        public void Dispose() => _meter.Dispose();
    }
}
