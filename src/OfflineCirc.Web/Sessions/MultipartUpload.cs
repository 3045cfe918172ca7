using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

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
            throw new IntakeException("Send the file as multipart/form-data with fields 'file' and 'workstation' (and 'delta' if the clock was off).", StatusCodes.Status415UnsupportedMediaType);
        }
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value
            ?? throw new IntakeException("The upload has no multipart boundary.");
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
                    fileName = Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "upload");
                    if (workstation is not null)
                    {
                        return await store(new Fields(workstation, delta, fileName), section.Body);
                    }
                    spooled = Path.GetTempFileName();
                    await using var spool = File.Create(spooled);
                    await new LimitedStream(section.Body, options).CopyToAsync(spool, ct);
                    continue;
                }
                var value = (await new StreamReader(section.Body).ReadToEndAsync(ct)).Trim();
                if (name == "workstation")
                {
                    workstation = value;
                }
                else if (name == "delta" && value.Length > 0)
                {
                    delta = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d) && Math.Abs(d) <= 366 * 86400
                        ? d
                        : throw new IntakeException($"delta must be a whole number of seconds (e.g. -300), not '{value}'.");
                }
            }
            if (spooled is null)
            {
                throw new IntakeException("The upload has no file in it. Choose a file and send it in the field 'file'.");
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
        finally
        {
            if (spooled is not null)
            {
                File.Delete(spooled);
            }
        }
    }
}
