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
                csv.WriteField(Neutralise(cell));
            }
            await csv.NextRecordAsync();
            if (++count % 5000 == 0)
            {
                await writer.FlushAsync(ct);
            }
        });
        await writer.FlushAsync(ct);
    }

    /// <summary>
    /// A cell whose first character after leading spaces and tabs would start a formula gets the escape character in front.
    /// CsvHelper looks at the first character only, so " =1+2" would pass it; cells that start with a formula character
    /// are left to CsvHelper, which escapes them the same way.
    /// </summary>
    public static string Neutralise(string? cell)
    {
        if (string.IsNullOrEmpty(cell) || (cell[0] != ' ' && cell[0] != '\t'))
        {
            return cell ?? "";
        }
        var start = cell.AsSpan().TrimStart(" \t");
        return start.Length > 0 && Config.InjectionCharacters.Contains(start[0]) ? Config.InjectionEscapeCharacter + cell : cell;
    }

    public static string Time(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) ?? "";

    public static string Number(decimal? value) => value is { } v ? Lookup.TimeDisplay.Money(v) : "";

    /// <summary>Codes and follow-ups as one cell: a ';'-separated list.</summary>
    public static string List(IEnumerable<string>? values) => values is null ? "" : string.Join(';', values);

    public static string Flag(bool value) => value ? "true" : "false";
}
