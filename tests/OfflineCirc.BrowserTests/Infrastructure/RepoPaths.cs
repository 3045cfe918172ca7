namespace OfflineCirc.BrowserTests.Infrastructure;

/// <summary>Where the repository, its build output and the test artifacts are.</summary>
public static class RepoPaths
{
    public static string Root { get; } = OfflineCirc.Tests.Infrastructure.AppProcess.RepoRoot();

    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(Root, "artifacts", "screenshots")).FullName;
}
