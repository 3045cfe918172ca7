using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;

if (await CommandLine.TryRunAsync(args))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddLogging();
builder.Services.AddDatabase(builder.Configuration);
builder.Services.AddPeople();
builder.Services.AddJobs(builder.Configuration);
builder.Services.AddFeatures(builder.Configuration);
builder.Services.AddPortal();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.UsePortal();
app.MapFeatures();
app.Run();

public partial class Program;
