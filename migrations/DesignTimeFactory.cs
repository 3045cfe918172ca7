using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;
using OfflineCirc.Core.Data;

namespace OfflineCirc.Migrations;

/// <summary>Lets `dotnet ef` build the model without starting the app.</summary>
public class DesignTimeFactory : IDesignTimeDbContextFactory<CircDbContext>
{
    public CircDbContext CreateDbContext(string[] args)
    {
        var cs = Environment.GetEnvironmentVariable("ConnectionStrings__Default") ?? "Host=localhost;Database=offlinecirc_design";
        var builder = new DbContextOptionsBuilder<CircDbContext>();
        builder.UseCirculationDatabase(NpgsqlDataSource.Create(cs));
        return new CircDbContext(builder.Options);
    }
}
