using System.Globalization;

namespace OfflineCirc.Bench;

/// <summary>"--name value" pairs of a verb, plus where the app and PostgreSQL are.</summary>
public sealed class BenchOptions(Dictionary<string, string> values)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        return new BenchOptions(values);
    }

    public int Int(string name, int fallback) =>
        values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        values.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public bool Flag(string name) => values.TryGetValue(name, out var text) && text is "true" or "1" or "yes";

    /// <summary>The admin connection string of the private PostgreSQL (OFFLINECIRC_TEST_PG when set).</summary>
    public string AdminConnectionString =>
        Environment.GetEnvironmentVariable("OFFLINECIRC_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    /// <summary>The built app: --web-dll, else the Release build in the repository.</summary>
    public string WebDll => Text("web-dll", Path.Combine(RepositoryRoot(), "src", "OfflineCirc.Web", "bin", "Release", "net10.0", "OfflineCirc.Web.dll"));

    /// <summary>The web project's folder, the content root the app serves wwwroot (the capture page) from.</summary>
    public string WebContentRoot => Text("content-root", Path.Combine(RepositoryRoot(), "src", "OfflineCirc.Web"));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OfflineCirc.sln")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
