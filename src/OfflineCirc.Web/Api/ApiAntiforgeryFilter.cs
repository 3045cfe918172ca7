using Microsoft.AspNetCore.Antiforgery;
using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Web.Api;

/// <summary>Cookie-authenticated state changes on the API must carry the anti-forgery header; bearer tokens need not.</summary>
public class ApiAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var safe = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method);
        // The smart scheme authenticates a request with a Bearer header by its token only, never by cookie.
        var byToken = http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        if (!safe && !byToken && http.User.Identity?.IsAuthenticated == true)
        {
            try
            {
                await antiforgery.ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                return Refusals.MissingAntiforgery.Result();
            }
        }
        return await next(context);
    }
}
