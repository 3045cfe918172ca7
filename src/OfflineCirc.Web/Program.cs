using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;

if (await CommandLine.TryRunAsync(args))
{
    return;
}

// Settings are read at start-up. Watching them for changes would watch the whole content root, and when that is the
// project folder it holds the private PostgreSQL, whose every write would wake the watcher.
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
var nice = Niceness.Apply(builder.Configuration);
builder.AddLogging();
builder.AddTelemetry();
builder.Services.AddDatabase(builder.Configuration);
builder.Services.AddPeople();
builder.Services.AddJobs(builder.Configuration);
builder.Services.AddFeatures(builder.Configuration);
builder.Services.AddPortal();

var app = builder.Build();
if (nice > 0)
{
    app.Logger.LogInformation("This node runs at niceness {Nice}: processes on the same machine that serve people go first (Node:Nice)", nice);
}
await app.PrepareDatabaseAsync();
app.UsePortal();
app.MapFeatures();
app.MapTelemetry();
app.Run();

public partial class Program;
