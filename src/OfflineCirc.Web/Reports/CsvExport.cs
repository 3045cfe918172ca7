using System.Text;

namespace OfflineCirc.Web.Reports;

/// <summary>Streams CSV downloads: UTF-8 without a byte order mark, header row, RFC 4180 quoting, spreadsheet formulas neutralised (<see cref="CsvRowWriter"/>).</summary>
public static class CsvExport
{
    /// <summary>A streamed download as an endpoint result, with the same headers as <see cref="WriteAsync(HttpResponse, string, IReadOnlyList{string}, Func{CsvRowWriter, Task}, CancellationToken)"/>.</summary>
    public static IResult Download(string fileName, IReadOnlyList<string> header, Func<CsvRowWriter, Task> rows, CancellationToken ct) =>
        new DownloadResult(http => WriteAsync(http.Response, fileName, header, rows, ct));

    private sealed class DownloadResult(Func<HttpContext, Task> write) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => write(httpContext);
    }

    public static async Task WriteAsync(HttpResponse response, string fileName, IReadOnlyList<string> header,
        Func<CsvRowWriter, Task> rows, CancellationToken ct)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        response.Headers.CacheControl = "no-store";
        await WriteAsync(response.Body, header, rows, ct);
    }

    /// <summary>
    /// Writes header and rows to a stream, flushing as it goes so memory stays flat whatever the row count. Rows write
    /// their cells to the writer and end each with <see cref="CsvRowWriter.EndRowAsync"/>.
    /// </summary>
    public static async Task WriteAsync(Stream body, IReadOnlyList<string> header, Func<CsvRowWriter, Task> rows, CancellationToken ct)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        var csv = new CsvRowWriter(writer, ct);
        await csv.RowAsync(header);
        await rows(csv);
        await csv.FlushAsync();
    }
}
