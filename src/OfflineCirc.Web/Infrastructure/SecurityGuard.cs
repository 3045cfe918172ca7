using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Primitives;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>
/// Answers bad input before it reaches a handler or PostgreSQL (NUL in the address, query or a page's form; a form that
/// cannot be read or is too large), answers refusals through <see cref="RefusalHandler"/>, and logs a client that went
/// away as such rather than as a server error.
/// </summary>
public sealed partial class RequestGuard(RequestDelegate next, RefusalHandler refusals, ILogger<RequestGuard> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            // A status-code page shown again for a refused request must not be refused a second time.
            var reExecuted = http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null;
            if (!reExecuted && await CheckAsync(http.Request) is { } refused)
            {
                await refusals.AnswerAsync(http, refused);
                return;
            }
            await next(http);
        }
        catch (Exception ex) when (IsDisconnect(http, ex))
        {
            LogDisconnected(http.Request.Method, http.Request.Path.Value ?? "");
            if (!http.Response.HasStarted)
            {
                http.Response.StatusCode = 499;
            }
        }
        catch (Exception ex) when (!http.Response.HasStarted && RefusalHandler.AsRefusal(ex) is { } refusal)
        {
            await refusals.AnswerAsync(http, refusal);
        }
    }

    private static bool IsDisconnect(HttpContext http, Exception ex) =>
        http.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException or ConnectionResetException;

    /// <summary>The refusal the request's address or page form earns, or null when it may go on.</summary>
    private static async Task<Refusal?> CheckAsync(HttpRequest request)
    {
        if (HasNul(request.Path.Value) || request.Query.Any(q => HasNul(q.Key) || HasNul(q.Value)))
        {
            return Refusals.NulCharacter;
        }
        // The API reads its own bodies (streamed uploads, JSON checked by NulArgumentFilter); pages get their form read here.
        if (!request.HasFormContentType || RefusalHandler.IsApi(request.Path.Value))
        {
            return null;
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return TooLarge(request);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(request);
        }
        catch (InvalidDataException ex) when (ex.InnerException?.Message.Contains("null characters", StringComparison.OrdinalIgnoreCase) == true)
        {
            // The framework itself refuses a %00 in a url-encoded form.
            return Refusals.NulCharacter;
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException || (ex is IOException && !request.HttpContext.RequestAborted.IsCancellationRequested))
        {
            request.HttpContext.RequestServices.GetRequiredService<ILogger<RequestGuard>>()
                .LogInformation("The form posted to {Path} could not be read: {Reason}", request.Path.Value, ex.Message);
            return Refusals.UnreadableForm;
        }
        return form.Any(f => HasNul(f.Key) || HasNul(f.Value)) || form.Files.Any(f => HasNul(f.FileName) || HasNul(f.Name))
            ? Refusals.NulCharacter
            : null;
    }

    private static Refusal TooLarge(HttpRequest request) =>
        Refusals.UploadTooLarge(request.HttpContext.RequestServices.GetRequiredService<Sessions.IntakeOptions>().MaxUploadText);

    public static bool HasNul(string? value) => value is not null && value.Contains('\0');

    private static bool HasNul(StringValues values)
    {
        foreach (var value in values)
        {
            if (HasNul(value))
            {
                return true;
            }
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The client closed the connection during {Method} {Path}")]
    private partial void LogDisconnected(string method, string path);
}

/// <summary>Refuses an API request whose JSON model holds a NUL character in any of its text, before any handler runs.</summary>
public static class NulArgumentFilter
{
    public static TBuilder RefuseNulInBodies<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var services = factory.ApplicationServices.GetService<Microsoft.Extensions.DependencyInjection.IServiceProviderIsService>();
            // Only the request models bound from the body are read: the app's own types that are not services.
            var models = factory.MethodInfo.GetParameters()
                .Where(p => IsOwnModel(p.ParameterType) && services?.IsService(p.ParameterType) != true)
                .Select(p => p.Position).ToArray();
            if (models.Length == 0)
            {
                return next;
            }
            return async context =>
            {
                foreach (var index in models)
                {
                    if (index < context.Arguments.Count && HoldsNul(context.Arguments[index], depth: 0))
                    {
                        return Refusals.NulCharacter.Result();
                    }
                }
                return await next(context);
            };
        });

    private static bool IsOwnModel(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("OfflineCirc", StringComparison.Ordinal) == true;

    private static bool HoldsNul(object? value, int depth) => value switch
    {
        null => false,
        string s => RequestGuard.HasNul(s),
        IEnumerable<string> list => list.Any(RequestGuard.HasNul),
        _ when depth > 3 || !IsOwnModel(value.GetType()) => false,
        _ => value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .Any(p => HoldsNul(p.GetValue(value), depth + 1)),
    };
}
