using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OfflineCirc.Core.Data;

namespace OfflineCirc.Tests.Infrastructure;

/// <summary>The real app (real PostgreSQL, real Hangfire server) over a test class's own database.</summary>
public class AppFactory(string connectionString) : WebApplicationFactory<Program>
{
    private Npgsql.NpgsqlDataSource? _dataSource;

    public AppFactory(TestDatabase database)
        : this(database.ConnectionString)
    {
    }

    public const string AdminEmail = "admin@test.example";
    public const string AdminPassword = "Admin-Password-1";

    public string ConnectionString { get; } = connectionString;

    protected Dictionary<string, string?> Settings { get; } = new()
    {
        ["Jobs:PollSeconds"] = "0.2",
        ["Bootstrap:AdminEmail"] = AdminEmail,
        ["Bootstrap:AdminPassword"] = AdminPassword,
    };

    public AppFactory With(string key, string? value)
    {
        Settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Default", ConnectionString);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public async Task<string> TokenAsync(string email, string password = TestOrgs.Password)
    {
        using var client = CreateClient();
        return await PortalClient.RequestTokenAsync(client, email, password);
    }

    public CircDbContext CreateContext()
    {
        _dataSource ??= OfflineCirc.Web.Infrastructure.Database.BuildDataSource(ConnectionString);
        var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<CircDbContext>();
        options.UseCirculationDatabase(_dataSource);
        return new CircDbContext(options.Options);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }
}
