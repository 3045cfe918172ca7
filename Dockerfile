# Builds and runs the OfflineCirc app; docker-compose.yml runs it as a web node and scalable worker nodes over PostgreSQL.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/OfflineCirc.Web/OfflineCirc.Web.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl answers the container health checks (/healthz/ready).
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
# The image's unprivileged "app" user: the app writes nothing to disk (keys and jobs live in PostgreSQL).
USER app
ENTRYPOINT ["dotnet", "OfflineCirc.Web.dll"]
