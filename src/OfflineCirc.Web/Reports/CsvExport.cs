using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace OfflineCirc.Web.Reports;

/// <summary>Streams CSV downloads: UTF-8, header row, RFC 4180 quoting, spreadsheet formulas neutralised.</summary>
public static class CsvExport
{
    private static readonly CsvConfiguration Config = new(CultureInfo.InvariantCulture)
    {
        NewLine = "\r\n",
        // Leading =, +, -, @, tab or CR would make a spreadsheet run the cell as a formula.
        InjectionOptions = InjectionOptions.Escape,
        InjectionCharacters = ['=', '+', '-', '@', '\t', '\r'],
        InjectionEscapeCharacter = '\'',
    };

    /// <summary>A streamed download as an endpoint result, with the same headers as <see cref="WriteAsync(HttpResponse, string, IReadOnlyList{string}, Func{Func{IReadOnlyList{string?}, Task}, Task}, CancellationToken)"/>.</summary>
    public static IResult Download(string fileName, IReadOnlyList<string> header,
        Func<Func<IReadOnlyList<string?>, Task>, Task> rows, CancellationToken ct) =>
        new DownloadResult(http => WriteAsync(http.Response, fileName, header, rows, ct));

    private sealed class DownloadResult(Func<HttpContext, Task> write) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => write(httpContext);
    }

    public static async Task WriteAsync(HttpResponse response, string fileName, IReadOnlyList<string> header,
        Func<Func<IReadOnlyList<string?>, Task>, Task> rows, CancellationToken ct)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        response.Headers.CacheControl = "no-store";
        await WriteAsync(response.Body, header, rows, ct);
    }

    /// <summary>Writes header and rows to a stream, flushing as it goes so memory stays flat whatever the row count.</summary>
    public static async Task WriteAsync(Stream body, IReadOnlyList<string> header,
        Func<Func<IReadOnlyList<string?>, Task>, Task> rows, CancellationToken ct)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await using var csv = new CsvWriter(writer, Config);
        foreach (var name in header)
        {
            csv.WriteField(name);
        }
        await csv.NextRecordAsync();
        var count = 0;
        await rows(async row =>
        {
            foreach (var cell in row)
            {
                csv.WriteField(cell ?? "");
            }
            await csv.NextRecordAsync();
            if (++count % 5000 == 0)
            {
                await writer.FlushAsync(ct);
            }
        });
        await writer.FlushAsync(ct);
    }

    public static string Time(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) ?? "";

    public static string Number(decimal? value) => value is { } v ? Lookup.TimeDisplay.Money(v) : "";

    /// <summary>Codes and follow-ups as one cell: a ';'-separated list.</summary>
    public static string List(IEnumerable<string>? values) => values is null ? "" : string.Join(';', values);

    public static string Flag(bool value) => value ? "true" : "false";
}
