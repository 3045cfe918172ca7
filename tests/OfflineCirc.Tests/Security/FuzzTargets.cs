using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace OfflineCirc.Tests.Security;

/// <summary>Where a field of a request goes.</summary>
public enum FieldPlace
{
    Route,
    Query,
    Form,
    Json,
    Multipart,
}

public sealed record FuzzField(string Name, FieldPlace Place, Type Type);

/// <summary>One method and route of the app, with every field a caller can send to it.</summary>
public sealed record FuzzTarget(string Method, RoutePattern Route, bool IsPage, string? Handler, IReadOnlyList<FuzzField> Fields)
{
    public override string ToString() => $"{Method} {Route.RawText}{(Handler is null ? "" : "?handler=" + Handler)}";
}

/// <summary>Reads the app's own endpoint list: minimal API handlers by their parameters, pages by their bound properties and handlers.</summary>
public static class FuzzTargets
{
    // Handlers that read the request body themselves, and the fields their callers send.
    private static readonly Dictionary<string, string[]> StreamedBodies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/api/sessions/{id:long}/files"] = ["file", "workstation", "delta"],
        ["/api/import/{kind}"] = ["file"],
    };

    private static readonly HashSet<Type> Plumbing =
        [typeof(HttpContext), typeof(HttpRequest), typeof(HttpResponse), typeof(CancellationToken), typeof(ClaimsPrincipal)];

    public static async Task<List<FuzzTarget>> ReadAsync(IServiceProvider services)
    {
        var isService = services.GetRequiredService<IServiceProviderIsService>();
        var loader = services.GetRequiredService<PageLoader>();
        var targets = new List<FuzzTarget>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = endpoint.RoutePattern;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var routeFields = route.Parameters.Select(p => new FuzzField(p.Name, FieldPlace.Route, typeof(string))).ToList();
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                targets.AddRange(PageTargets(compiled, route, routeFields));
            }
            else if (endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler)
            {
                foreach (var method in methods)
                {
                    targets.Add(new FuzzTarget(method, route, false, null, [.. routeFields, .. ApiFields(handler, route, method, isService)]));
                }
            }
        }
        return targets;
    }

    private static IEnumerable<FuzzField> ApiFields(MethodInfo handler, RoutePattern route, string method, IServiceProviderIsService isService)
    {
        if (route.RawText is { } raw && StreamedBodies.TryGetValue(raw, out var streamed))
        {
            foreach (var name in streamed)
            {
                yield return new FuzzField(name, FieldPlace.Multipart, typeof(string));
            }
        }
        foreach (var p in handler.GetParameters())
        {
            var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
            if (p.Name is null || route.GetParameter(p.Name) is not null || Plumbing.Contains(type) || isService.IsService(p.ParameterType))
            {
                continue;
            }
            if (IsSimple(type))
            {
                yield return new FuzzField(p.Name, FieldPlace.Query, type);
            }
            else if (!HttpMethods.IsGet(method))
            {
                foreach (var field in JsonFields(type))
                {
                    yield return field;
                }
            }
        }
    }

    private static IEnumerable<FuzzField> JsonFields(Type model)
    {
        var ctor = model.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        var names = ctor?.GetParameters().Length > 0
            ? ctor.GetParameters().Select(p => (p.Name!, p.ParameterType))
            : model.GetProperties().Where(p => p.CanWrite).Select(p => (p.Name, p.PropertyType));
        foreach (var (name, type) in names)
        {
            yield return new FuzzField(char.ToLowerInvariant(name[0]) + name[1..], FieldPlace.Json, type);
        }
    }

    private static IEnumerable<FuzzTarget> PageTargets(CompiledPageActionDescriptor page, RoutePattern route, List<FuzzField> routeFields)
    {
        var handlers = page.HandlerMethods.Count == 0
            ? [(Method: "GET", Handler: (string?)null, Parameters: (IEnumerable<FuzzField>)[])]
            : page.HandlerMethods.Select(h => (Method: h.HttpMethod.ToUpperInvariant(), Handler: h.Name,
                Parameters: h.Parameters.SelectMany(p => PageFields(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType, h.HttpMethod))));
        foreach (var (method, handler, parameters) in handlers)
        {
            var bound = page.BoundProperties.Where(p => !HttpMethods.IsGet(method) || SupportsGet(p))
                .SelectMany(p => PageFields(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType, method));
            yield return new FuzzTarget(method, route, true, handler, [.. routeFields, .. bound, .. parameters]);
        }
    }

    private static bool SupportsGet(Microsoft.AspNetCore.Mvc.Abstractions.ParameterDescriptor property) =>
        property is PageBoundPropertyDescriptor { Property: var info }
        && info.GetCustomAttribute<Microsoft.AspNetCore.Mvc.BindPropertyAttribute>() is { SupportsGet: true };

    private static IEnumerable<FuzzField> PageFields(string name, Type type, string method)
    {
        var place = HttpMethods.IsGet(method) ? FieldPlace.Query : FieldPlace.Form;
        var bare = Nullable.GetUnderlyingType(type) ?? type;
        if (bare == typeof(IFormFile))
        {
            yield return new FuzzField(name, FieldPlace.Multipart, bare);
        }
        else if (IsSimple(bare))
        {
            yield return new FuzzField(name, place, bare);
        }
        else if (!typeof(System.Collections.IEnumerable).IsAssignableFrom(bare) && bare != typeof(CancellationToken))
        {
            foreach (var p in bare.GetProperties().Where(p => p.CanWrite))
            {
                var inner = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
                if (inner == typeof(IFormFile))
                {
                    yield return new FuzzField($"{name}.{p.Name}", FieldPlace.Multipart, inner);
                }
                else if (IsSimple(inner))
                {
                    yield return new FuzzField($"{name}.{p.Name}", place, inner);
                }
            }
        }
    }

    private static bool IsSimple(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTimeOffset)
        || type == typeof(DateTime) || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(Guid);

    /// <summary>The route with each parameter filled in; the caller chooses each value.</summary>
    public static string Path(RoutePattern route, Func<RoutePatternParameterPart, string> value)
    {
        var parts = new List<string>();
        foreach (var segment in route.PathSegments)
        {
            var text = string.Concat(segment.Parts.Select(part => part switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternSeparatorPart separator => separator.Content,
                RoutePatternParameterPart parameter => value(parameter),
                _ => "",
            }));
            parts.Add(text);
        }
        return "/" + string.Join('/', parts.Where(p => p.Length > 0));
    }
}
