namespace OfflineCirc.Web.Infrastructure;

/// <summary>Verbs of the app run from a shell instead of the web server, e.g. `import patrons file.csv`.</summary>
public static class CommandLine
{
    public static Task<bool> TryRunAsync(string[] args) => Task.FromResult(false);
}
