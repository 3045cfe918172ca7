using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace OfflineCirc.Core.Data;

public static class DbSetup
{
    public const string MigrationsAssembly = "OfflineCirc.Migrations";

    /// <summary>The one way this product configures EF Core over PostgreSQL.</summary>
    public static DbContextOptionsBuilder UseCirculationDatabase(this DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, npgsql => npgsql.MigrationsAssembly(MigrationsAssembly))
            .UseSnakeCaseNamingConvention();
}
