namespace OfflineCirc.BrowserTests.Infrastructure;

/// <summary>Where the repository, its build output and the test artifacts are.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration these tests were built in (Debug or Release); the app is run from the same one.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(Root, "artifacts", "screenshots")).FullName;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OfflineCirc.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("OfflineCirc.sln not found above " + AppContext.BaseDirectory);
    }
}
