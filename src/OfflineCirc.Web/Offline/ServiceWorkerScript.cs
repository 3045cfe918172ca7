using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.FileProviders;

namespace OfflineCirc.Web.Offline;

/// <summary>
/// The capture page's service worker, made once at start-up: its cache version is a digest of every file of the page and
/// of the worker itself, and its list of files to keep offline is the page's folder as deployed. A deploy that changes any
/// file therefore changes the version, and every workstation fetches the new set on its next visit online.
/// </summary>
public sealed class ServiceWorkerScript
{
    public const string Folder = "offline";
    private const string ResourceName = "OfflineCirc.Web.Offline.sw.js";

    public string Version { get; }
    public IReadOnlyList<string> Files { get; }
    public string Text { get; }

    private ServiceWorkerScript(string version, IReadOnlyList<string> files, string text)
    {
        Version = version;
        Files = files;
        Text = text;
    }

    public static ServiceWorkerScript Build(IFileProvider webRoot)
    {
        var template = Template();
        var files = new List<(string Url, IFileInfo File)>();
        Collect(webRoot, Folder, files);
        files.Sort((a, b) => string.CompareOrdinal(a.Url, b.Url));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(template));
        foreach (var (url, file) in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes("\0" + url + "\0"));
            using var stream = file.CreateReadStream();
            var buffer = new byte[file.Length];
            stream.ReadExactly(buffer);
            sha.AppendData(buffer);
        }
        var version = Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
        // The page is one document: /offline/index.html is cached and served as /offline/.
        var urls = files.Select(f => f.Url == "/offline/index.html" ? "/offline/" : f.Url).Order(StringComparer.Ordinal).ToList();
        var header = $"const CACHE_VERSION = '{version}';\nconst PAGE_FILES = {JsonSerializer.Serialize(urls)};\n";
        return new ServiceWorkerScript(version, urls, header + template);
    }

    private static void Collect(IFileProvider root, string path, List<(string, IFileInfo)> into)
    {
        foreach (var entry in root.GetDirectoryContents(path))
        {
            var child = path + "/" + entry.Name;
            if (entry.IsDirectory)
            {
                Collect(root, child, into);
            }
            else
            {
                into.Add(("/" + child, entry));
            }
        }
    }

    private static string Template()
    {
        using var stream = typeof(ServiceWorkerScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The service worker {ResourceName} is not embedded in the app.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Serves the worker at /offline/sw.js; never cached by HTTP, so a new version is seen on the next visit.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/offline/sw.js", (HttpContext http, ServiceWorkerScript script) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Text(script.Text, "text/javascript; charset=utf-8");
        }).AllowAnonymous();
    }
}
