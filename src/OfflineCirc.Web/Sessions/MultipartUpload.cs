using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Web.Sessions;

/// <summary>
/// Reads a multipart upload (fields `file`, `workstation`, optional `delta`) without buffering the file in memory:
/// the file streams straight into intake, or through a temporary file when it comes before the other fields.
/// </summary>
public static class MultipartUpload
{
    public sealed record Fields(string? Workstation, int Delta, string FileName);

    public static async Task<IntakeSummary> ReadAsync(HttpRequest request, IntakeOptions options,
        Func<Fields, Stream, Task<IntakeSummary>> store, CancellationToken ct)
    {
        if (request.ContentLength > options.MaxUploadBytes + 64 * 1024)
        {
            throw options.TooLarge();
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw Refusals.NotMultipart.Exception();
        }
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        // RFC 2046 allows 1 to 70 characters.
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
        {
            throw Refusals.NoBoundary.Exception();
        }
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = options.MaxUploadBytes + 64 * 1024 };
        string? workstation = null;
        var delta = 0;
        string? spooled = null;
        var fileName = "upload";
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (disposition.IsFileDisposition() || name == "file")
                {
                    fileName = Text(Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value
                        ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "upload"));
                    fileName = fileName.Length == 0 ? "upload" : fileName;
                    if (workstation is not null)
                    {
                        return await store(new Fields(workstation, delta, fileName), section.Body);
                    }
                    spooled = Path.GetTempFileName();
                    await using var spool = File.Create(spooled);
                    await new LimitedStream(section.Body, options).CopyToAsync(spool, ct);
                    continue;
                }
                var value = Text((await new StreamReader(section.Body).ReadToEndAsync(ct)).Trim());
                if (name == "workstation")
                {
                    workstation = value;
                }
                else if (name == "delta" && value.Length > 0)
                {
                    delta = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d) && Math.Abs(d) <= 366 * 86400
                        ? d
                        : throw Refusals.BadDelta(value).Exception();
                }
            }
            if (spooled is null)
            {
                throw Refusals.NoFile.Exception();
            }
            await using var file = File.OpenRead(spooled);
            return await store(new Fields(workstation, delta, fileName), file);
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
        {
            throw options.TooLarge();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw options.TooLarge();
        }
        catch (Exception ex) when (ex is InvalidDataException || (ex is IOException && !request.HttpContext.RequestAborted.IsCancellationRequested))
        {
            // A body cut short or with broken part headers: the client's fault, said in words.
            throw Refusals.MalformedUpload.Exception();
        }
        finally
        {
            if (spooled is not null)
            {
                File.Delete(spooled);
            }
        }
    }

    /// <summary>A field's text; a NUL character (which PostgreSQL cannot store) refuses the whole upload.</summary>
    private static string Text(string value) =>
        RequestGuard.HasNul(value) ? throw Refusals.NulCharacter.Exception() : value;
}
