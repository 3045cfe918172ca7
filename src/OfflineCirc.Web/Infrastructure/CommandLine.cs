using System.Globalization;
using OfflineCirc.Web.Audit;
using OfflineCirc.Web.Demo;
using OfflineCirc.Web.Import;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>Verbs of the app run from a shell instead of the web server, e.g. `import patrons file.csv`.</summary>
public static class CommandLine
{
    public const string Usage = """
        Usage:
          OfflineCirc.Web import <kind> <file.csv>     import reference data (ConnectionStrings__Default; migrates first)
          OfflineCirc.Web generate --patrons N --items M [--seed S] [--as-of YYYY-MM-DD] --out DIR
                                                       write a demo consortium as one CSV per kind
        """;

    public static async Task<bool> TryRunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("import" or "generate"))
        {
            return false;
        }
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        Environment.ExitCode = args[0] == "import"
            ? await ImportAsync(args[1..], configuration, Console.Out)
            : await GenerateAsync(args[1..], Console.Out);
        return true;
    }

    /// <summary>`import kind file.csv`: as the system, after applying migrations. 0 when the file landed, 1 otherwise.</summary>
    public static async Task<int> ImportAsync(string[] args, IConfiguration configuration, TextWriter output)
    {
        if (args.Length != 2 || ImportKinds.Find(args[0]) is not { } kind)
        {
            await output.WriteLineAsync($"Unknown or missing kind. Kinds: {string.Join(", ", ImportKinds.All.Select(k => k.Name))}\n{Usage}");
            return 1;
        }
        if (!File.Exists(args[1]))
        {
            await output.WriteLineAsync($"No such file: {args[1]}");
            return 1;
        }
        await using var services = BuildServices(configuration);
        await Database.MigrateWithLockAsync(services);
        await using var scope = services.CreateAsyncScope();
        await using var file = File.OpenRead(args[1]);
        var result = await scope.ServiceProvider.GetRequiredService<ImportService>().ImportAsync(kind, file, ImportActor.System);
        await WriteResultAsync(result, output);
        return result.Succeeded ? 0 : 1;
    }

    public static async Task WriteResultAsync(ImportResult result, TextWriter output)
    {
        if (result.Succeeded)
        {
            await output.WriteLineAsync($"{result.Kind}: {result.Rows} rows, {result.Inserted} inserted, {result.Updated} updated");
            return;
        }
        await output.WriteLineAsync($"{result.Kind}: not imported, nothing stored ({result.Errors.Count} problems; row 1 is the header):");
        foreach (var error in result.Errors)
        {
            await output.WriteLineAsync("  " + error);
        }
    }

    /// <summary>`generate --patrons N --items M [--seed S] [--as-of D] --out DIR`: deterministic CSVs of every kind.</summary>
    public static async Task<int> GenerateAsync(string[] args, TextWriter output)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }
        if (args.Length % 2 != 0 || !options.TryGetValue("out", out var dir)
            || !TryInt(options, "patrons", 2000, out var patrons) || !TryInt(options, "items", 10000, out var items)
            || !TryInt(options, "seed", DemoGenerator.DefaultSeed, out var seed))
        {
            await output.WriteLineAsync(Usage);
            return 1;
        }
        var asOf = DateOnly.FromDateTime(DateTime.UtcNow);
        if (options.TryGetValue("as-of", out var asOfText) && !DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out asOf))
        {
            await output.WriteLineAsync("--as-of must be a date like 2026-03-05");
            return 1;
        }
        var generator = new DemoGenerator(new DemoSize(patrons, items), seed, asOf);
        foreach (var path in generator.WriteAll(dir))
        {
            await output.WriteLineAsync(path);
        }
        return 0;
    }

    private static bool TryInt(Dictionary<string, string> options, string name, int fallback, out int value)
    {
        value = fallback;
        return !options.TryGetValue(name, out var text) || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 0);
    }

    /// <summary>What the import needs, without the web server: the database, the audit log and the import service.</summary>
    internal static ServiceProvider BuildServices(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None)
            .AddFilter("OfflineCirc.Web.Import", LogLevel.Information));
        services.AddHttpContextAccessor();
        services.AddDatabase(configuration);
        services.AddScoped<AuditLog>();
        services.AddScoped<ImportService>();
        return services.BuildServiceProvider();
    }
}
