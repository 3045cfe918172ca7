using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class InitialCirculationModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AspNetRoles",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_roles", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: true),
                    user_name = table.Column<string>(type: "text", nullable: false),
                    action = table.Column<string>(type: "text", nullable: false),
                    org_unit_id = table.Column<int>(type: "integer", nullable: true),
                    session_id = table.Column<long>(type: "bigint", nullable: true),
                    target = table.Column<string>(type: "text", nullable: true),
                    detail = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "org_units",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    short_name = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    parent_id = table.Column<int>(type: "integer", nullable: true),
                    path = table.Column<string>(type: "text", nullable: false),
                    time_zone = table.Column<string>(type: "text", nullable: false),
                    closed_weekdays = table.Column<int>(type: "integer", nullable: false),
                    skip_on_newer_activity = table.Column<bool>(type: "boolean", nullable: false),
                    allow_username_lookup = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_org_units", x => x.id);
                    table.CheckConstraint("ck_org_units_closed_weekdays", "closed_weekdays BETWEEN 0 AND 127");
                    table.ForeignKey(
                        name: "fk_org_units_org_units_parent_id",
                        column: x => x.parent_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "patron_profiles",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false),
                    permission_interval_days = table.Column<int>(type: "integer", nullable: false),
                    checkout_limit = table.Column<int>(type: "integer", nullable: false),
                    fine_threshold = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_patron_profiles", x => x.id);
                    table.CheckConstraint("ck_patron_profiles_counts", "permission_interval_days >= 0 AND checkout_limit >= 0 AND fine_threshold >= 0");
                });

            migrationBuilder.CreateTable(
                name: "records",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    title = table.Column<string>(type: "text", nullable: false),
                    author = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_records", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoleClaims",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    role_id = table.Column<string>(type: "text", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_role_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_asp_net_role_claims_asp_net_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "AspNetRoles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUsers",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    display_name = table.Column<string>(type: "text", nullable: false),
                    home_org_id = table.Column<int>(type: "integer", nullable: false),
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    password_hash = table.Column<string>(type: "text", nullable: true),
                    security_stamp = table.Column<string>(type: "text", nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true),
                    phone_number = table.Column<string>(type: "text", nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    lockout_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    access_failed_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_users", x => x.id);
                    table.ForeignKey(
                        name: "fk_asp_net_users_org_units_home_org_id",
                        column: x => x.home_org_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "noncat_types",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false),
                    owning_org_id = table.Column<int>(type: "integer", nullable: false),
                    loan_duration = table.Column<int>(type: "integer", nullable: false),
                    loan_duration_unit = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_noncat_types", x => x.id);
                    table.CheckConstraint("ck_noncat_types_duration", "loan_duration > 0");
                    table.ForeignKey(
                        name: "fk_noncat_types_org_units_owning_org_id",
                        column: x => x.owning_org_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "org_closings",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    org_unit_id = table.Column<int>(type: "integer", nullable: false),
                    start_date = table.Column<DateOnly>(type: "date", nullable: false),
                    end_date = table.Column<DateOnly>(type: "date", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_org_closings", x => x.id);
                    table.CheckConstraint("ck_org_closings_dates", "end_date >= start_date");
                    table.ForeignKey(
                        name: "fk_org_closings_org_units_org_unit_id",
                        column: x => x.org_unit_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sessions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    org_unit_id = table.Column<int>(type: "integer", nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    state = table.Column<string>(type: "text", nullable: false),
                    created_by_id = table.Column<string>(type: "text", nullable: true),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    run_count = table.Column<int>(type: "integer", nullable: false),
                    progress_done = table.Column<int>(type: "integer", nullable: false),
                    progress_total = table.Column<int>(type: "integer", nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sessions", x => x.id);
                    table.ForeignKey(
                        name: "fk_sessions_org_units_org_unit_id",
                        column: x => x.org_unit_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "workstations",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false),
                    org_unit_id = table.Column<int>(type: "integer", nullable: false),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    registered_by = table.Column<string>(type: "text", nullable: true),
                    readiness_reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    bootstrap_refreshed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    blocklist_refreshed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    service_worker_installed = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_workstations", x => x.id);
                    table.ForeignKey(
                        name: "fk_workstations_org_units_org_unit_id",
                        column: x => x.org_unit_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "circulation_policies",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    org_unit_id = table.Column<int>(type: "integer", nullable: false),
                    profile_id = table.Column<int>(type: "integer", nullable: true),
                    circ_modifier = table.Column<string>(type: "text", nullable: true),
                    loan_duration = table.Column<int>(type: "integer", nullable: false),
                    loan_duration_unit = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    max_renewals = table.Column<int>(type: "integer", nullable: false),
                    fine_per_interval = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    fine_interval = table.Column<int>(type: "integer", nullable: false),
                    fine_interval_unit = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    max_fine = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    grace_period = table.Column<int>(type: "integer", nullable: false),
                    grace_period_unit = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_circulation_policies", x => x.id);
                    table.CheckConstraint("ck_policies_values", "loan_duration > 0 AND max_renewals >= 0 AND fine_per_interval >= 0 AND fine_interval > 0 AND max_fine >= 0 AND grace_period >= 0");
                    table.ForeignKey(
                        name: "fk_circulation_policies_org_units_org_unit_id",
                        column: x => x.org_unit_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_circulation_policies_patron_profiles_profile_id",
                        column: x => x.profile_id,
                        principalTable: "patron_profiles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "patrons",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    family_name = table.Column<string>(type: "text", nullable: false),
                    first_given_name = table.Column<string>(type: "text", nullable: false),
                    dob = table.Column<DateOnly>(type: "date", nullable: true),
                    email = table.Column<string>(type: "text", nullable: true),
                    day_phone = table.Column<string>(type: "text", nullable: true),
                    address = table.Column<string>(type: "text", nullable: true),
                    home_org_id = table.Column<int>(type: "integer", nullable: false),
                    profile_id = table.Column<int>(type: "integer", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    barred = table.Column<bool>(type: "boolean", nullable: false),
                    expire_date = table.Column<DateOnly>(type: "date", nullable: true),
                    username = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    origin_session_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_patrons", x => x.id);
                    table.ForeignKey(
                        name: "fk_patrons_org_units_home_org_id",
                        column: x => x.home_org_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_patrons_patron_profiles_profile_id",
                        column: x => x.profile_id,
                        principalTable: "patron_profiles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "api_tokens",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    token_hash = table.Column<string>(type: "text", nullable: false),
                    prefix = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_tokens", x => x.id);
                    table.ForeignKey(
                        name: "fk_api_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserClaims",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_asp_net_user_claims_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserLogins",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    provider_key = table.Column<string>(type: "text", nullable: false),
                    provider_display_name = table.Column<string>(type: "text", nullable: true),
                    user_id = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_logins", x => new { x.login_provider, x.provider_key });
                    table.ForeignKey(
                        name: "fk_asp_net_user_logins_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserRoles",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    role_id = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_roles", x => new { x.user_id, x.role_id });
                    table.ForeignKey(
                        name: "fk_asp_net_user_roles_asp_net_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "AspNetRoles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_asp_net_user_roles_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserTokens",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                    table.ForeignKey(
                        name: "fk_asp_net_user_tokens_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "items",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    barcode = table.Column<string>(type: "text", nullable: false),
                    record_id = table.Column<long>(type: "bigint", nullable: false),
                    owning_org_id = table.Column<int>(type: "integer", nullable: false),
                    location = table.Column<string>(type: "text", nullable: true),
                    circ_modifier = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "text", nullable: false),
                    price = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    alert_message = table.Column<string>(type: "text", nullable: true),
                    holdable = table.Column<bool>(type: "boolean", nullable: false),
                    status_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status_change_session_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_items", x => x.id);
                    table.CheckConstraint("ck_items_price", "price IS NULL OR price >= 0");
                    table.CheckConstraint("ck_items_status", "status IN ('available', 'checked_out', 'in_transit', 'on_holds_shelf', 'lost', 'missing', 'long_overdue', 'claims_returned', 'damaged', 'discard')");
                    table.ForeignKey(
                        name: "fk_items_org_units_owning_org_id",
                        column: x => x.owning_org_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_items_records_record_id",
                        column: x => x.record_id,
                        principalTable: "records",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_items_sessions_status_change_session_id",
                        column: x => x.status_change_session_id,
                        principalTable: "sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "session_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    session_id = table.Column<long>(type: "bigint", nullable: false),
                    run = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    started_by = table.Column<string>(type: "text", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    job_id = table.Column<string>(type: "text", nullable: true),
                    total = table.Column<int>(type: "integer", nullable: false),
                    done = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_session_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_session_runs_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "uploaded_files",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    session_id = table.Column<long>(type: "bigint", nullable: false),
                    workstation = table.Column<string>(type: "text", nullable: false),
                    file_name = table.Column<string>(type: "text", nullable: false),
                    uploaded_by = table.Column<string>(type: "text", nullable: false),
                    uploaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    format = table.Column<string>(type: "text", nullable: false),
                    warning = table.Column<string>(type: "text", nullable: true),
                    delta_seconds = table.Column<int>(type: "integer", nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<string>(type: "text", nullable: true),
                    lines_read = table.Column<int>(type: "integer", nullable: false),
                    stored = table.Column<int>(type: "integer", nullable: false),
                    duplicates = table.Column<int>(type: "integer", nullable: false),
                    rejected = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_uploaded_files", x => x.id);
                    table.CheckConstraint("ck_uploaded_files_lines", "lines_read = stored + duplicates + rejected");
                    table.ForeignKey(
                        name: "fk_uploaded_files_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cards",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    barcode = table.Column<string>(type: "text", nullable: false),
                    patron_id = table.Column<long>(type: "bigint", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    primary = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cards", x => x.id);
                    table.ForeignKey(
                        name: "fk_cards_patrons_patron_id",
                        column: x => x.patron_id,
                        principalTable: "patrons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "noncat_circulations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    patron_id = table.Column<long>(type: "bigint", nullable: false),
                    noncat_type_id = table.Column<int>(type: "integer", nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false),
                    checkout_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    due_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    org_id = table.Column<int>(type: "integer", nullable: false),
                    workstation_id = table.Column<int>(type: "integer", nullable: true),
                    origin_session_id = table.Column<long>(type: "bigint", nullable: true),
                    origin_transaction_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_noncat_circulations", x => x.id);
                    table.CheckConstraint("ck_noncat_circulations_count", "count BETWEEN 1 AND 100");
                    table.ForeignKey(
                        name: "fk_noncat_circulations_noncat_types_noncat_type_id",
                        column: x => x.noncat_type_id,
                        principalTable: "noncat_types",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_noncat_circulations_org_units_org_id",
                        column: x => x.org_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_noncat_circulations_patrons_patron_id",
                        column: x => x.patron_id,
                        principalTable: "patrons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_noncat_circulations_workstations_workstation_id",
                        column: x => x.workstation_id,
                        principalTable: "workstations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "patron_blocks",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    patron_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_patron_blocks", x => x.id);
                    table.ForeignKey(
                        name: "fk_patron_blocks_patrons_patron_id",
                        column: x => x.patron_id,
                        principalTable: "patrons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "payments",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    patron_id = table.Column<long>(type: "bigint", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    paid_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    org_id = table.Column<int>(type: "integer", nullable: true),
                    workstation_id = table.Column<int>(type: "integer", nullable: true),
                    origin_session_id = table.Column<long>(type: "bigint", nullable: true),
                    origin_transaction_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payments", x => x.id);
                    table.CheckConstraint("ck_payments_amount", "amount > 0");
                    table.ForeignKey(
                        name: "fk_payments_patrons_patron_id",
                        column: x => x.patron_id,
                        principalTable: "patrons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "circulations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    patron_id = table.Column<long>(type: "bigint", nullable: false),
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    checkout_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    due_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    checkout_org_id = table.Column<int>(type: "integer", nullable: false),
                    checkout_workstation_id = table.Column<int>(type: "integer", nullable: true),
                    renewal_count = table.Column<int>(type: "integer", nullable: false),
                    checkin_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    checkin_org_id = table.Column<int>(type: "integer", nullable: true),
                    checkin_workstation_id = table.Column<int>(type: "integer", nullable: true),
                    stop_fines = table.Column<string>(type: "text", nullable: true),
                    policy_id = table.Column<int>(type: "integer", nullable: true),
                    origin_session_id = table.Column<long>(type: "bigint", nullable: true),
                    origin_transaction_id = table.Column<long>(type: "bigint", nullable: true),
                    close_session_id = table.Column<long>(type: "bigint", nullable: true),
                    close_transaction_id = table.Column<long>(type: "bigint", nullable: true),
                    processed_by = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_circulations", x => x.id);
                    table.CheckConstraint("ck_circulations_checkin_org", "checkin_time IS NULL OR checkin_org_id IS NOT NULL");
                    table.CheckConstraint("ck_circulations_renewals", "renewal_count >= 0");
                    table.ForeignKey(
                        name: "fk_circulations_circulation_policies_policy_id",
                        column: x => x.policy_id,
                        principalTable: "circulation_policies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_circulations_items_item_id",
                        column: x => x.item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_circulations_org_units_checkin_org_id",
                        column: x => x.checkin_org_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_circulations_org_units_checkout_org_id",
                        column: x => x.checkout_org_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_circulations_patrons_patron_id",
                        column: x => x.patron_id,
                        principalTable: "patrons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_circulations_workstations_checkin_workstation_id",
                        column: x => x.checkin_workstation_id,
                        principalTable: "workstations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_circulations_workstations_checkout_workstation_id",
                        column: x => x.checkout_workstation_id,
                        principalTable: "workstations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "holds",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    patron_id = table.Column<long>(type: "bigint", nullable: false),
                    target_item_id = table.Column<long>(type: "bigint", nullable: true),
                    target_record_id = table.Column<long>(type: "bigint", nullable: true),
                    pickup_org_id = table.Column<int>(type: "integer", nullable: false),
                    request_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    frozen = table.Column<bool>(type: "boolean", nullable: false),
                    capture_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    shelf_expiry_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    captured_item_id = table.Column<long>(type: "bigint", nullable: true),
                    fulfilled_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_holds", x => x.id);
                    table.CheckConstraint("ck_holds_status", "status IN ('pending', 'captured', 'fulfilled', 'cancelled')");
                    table.CheckConstraint("ck_holds_target", "target_item_id IS NOT NULL OR target_record_id IS NOT NULL");
                    table.ForeignKey(
                        name: "fk_holds_items_captured_item_id",
                        column: x => x.captured_item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_holds_items_target_item_id",
                        column: x => x.target_item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_holds_org_units_pickup_org_id",
                        column: x => x.pickup_org_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_holds_patrons_patron_id",
                        column: x => x.patron_id,
                        principalTable: "patrons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_holds_records_target_record_id",
                        column: x => x.target_record_id,
                        principalTable: "records",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "in_house_uses",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false),
                    use_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    org_id = table.Column<int>(type: "integer", nullable: false),
                    workstation_id = table.Column<int>(type: "integer", nullable: true),
                    origin_session_id = table.Column<long>(type: "bigint", nullable: true),
                    origin_transaction_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_in_house_uses", x => x.id);
                    table.CheckConstraint("ck_in_house_uses_count", "count BETWEEN 1 AND 100");
                    table.ForeignKey(
                        name: "fk_in_house_uses_items_item_id",
                        column: x => x.item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_in_house_uses_org_units_org_id",
                        column: x => x.org_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_in_house_uses_workstations_workstation_id",
                        column: x => x.workstation_id,
                        principalTable: "workstations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "offline_transactions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    key = table.Column<string>(type: "text", nullable: false),
                    session_id = table.Column<long>(type: "bigint", nullable: false),
                    file_id = table.Column<long>(type: "bigint", nullable: false),
                    line_number = table.Column<int>(type: "integer", nullable: false),
                    type = table.Column<string>(type: "text", nullable: false),
                    workstation = table.Column<string>(type: "text", nullable: false),
                    org = table.Column<string>(type: "text", nullable: true),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    effective_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    delta_seconds = table.Column<int>(type: "integer", nullable: false),
                    patron_barcode = table.Column<string>(type: "text", nullable: true),
                    item_barcode = table.Column<string>(type: "text", nullable: true),
                    noncat_type = table.Column<string>(type: "text", nullable: true),
                    noncat_count = table.Column<int>(type: "integer", nullable: true),
                    due_date = table.Column<string>(type: "text", nullable: true),
                    checkout_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    backdate = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    use_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    count = table.Column<int>(type: "integer", nullable: true),
                    amount = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    original_patron_barcode = table.Column<string>(type: "text", nullable: true),
                    original_item_barcode = table.Column<string>(type: "text", nullable: true),
                    original_due_date = table.Column<string>(type: "text", nullable: true),
                    edited = table.Column<bool>(type: "boolean", nullable: false),
                    forced = table.Column<bool>(type: "boolean", nullable: false),
                    processed_run = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_offline_transactions", x => x.id);
                    table.CheckConstraint("ck_offline_transactions_count", "count IS NULL OR count BETWEEN 1 AND 100");
                    table.CheckConstraint("ck_offline_transactions_noncat_count", "noncat_count IS NULL OR noncat_count BETWEEN 1 AND 100");
                    table.CheckConstraint("ck_offline_transactions_type", "type IN ('checkout','renew','checkin','in_house_use','register','payment')");
                    table.ForeignKey(
                        name: "fk_offline_transactions_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_offline_transactions_uploaded_files_file_id",
                        column: x => x.file_id,
                        principalTable: "uploaded_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "rejected_lines",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    session_id = table.Column<long>(type: "bigint", nullable: false),
                    file_id = table.Column<long>(type: "bigint", nullable: false),
                    line_number = table.Column<int>(type: "integer", nullable: false),
                    raw_text = table.Column<string>(type: "text", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rejected_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_rejected_lines_uploaded_files_file_id",
                        column: x => x.file_id,
                        principalTable: "uploaded_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "billings",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    patron_id = table.Column<long>(type: "bigint", nullable: false),
                    circulation_id = table.Column<long>(type: "bigint", nullable: true),
                    amount = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    billing_type = table.Column<string>(type: "text", nullable: false),
                    billed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    voided = table.Column<bool>(type: "boolean", nullable: false),
                    voided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    amount_paid = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    origin_session_id = table.Column<long>(type: "bigint", nullable: true),
                    origin_transaction_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_billings", x => x.id);
                    table.CheckConstraint("ck_billings_amounts", "amount > 0 AND amount_paid >= 0 AND amount_paid <= amount");
                    table.ForeignKey(
                        name: "fk_billings_circulations_circulation_id",
                        column: x => x.circulation_id,
                        principalTable: "circulations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_billings_patrons_patron_id",
                        column: x => x.patron_id,
                        principalTable: "patrons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "transits",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    from_org_id = table.Column<int>(type: "integer", nullable: false),
                    to_org_id = table.Column<int>(type: "integer", nullable: false),
                    sent_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    hold_id = table.Column<long>(type: "bigint", nullable: true),
                    workstation_id = table.Column<int>(type: "integer", nullable: true),
                    origin_session_id = table.Column<long>(type: "bigint", nullable: true),
                    origin_transaction_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transits", x => x.id);
                    table.ForeignKey(
                        name: "fk_transits_holds_hold_id",
                        column: x => x.hold_id,
                        principalTable: "holds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_transits_items_item_id",
                        column: x => x.item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_transits_org_units_from_org_id",
                        column: x => x.from_org_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_transits_org_units_to_org_id",
                        column: x => x.to_org_id,
                        principalTable: "org_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_transits_workstations_workstation_id",
                        column: x => x.workstation_id,
                        principalTable: "workstations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "duplicate_lines",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    session_id = table.Column<long>(type: "bigint", nullable: false),
                    file_id = table.Column<long>(type: "bigint", nullable: false),
                    line_number = table.Column<int>(type: "integer", nullable: false),
                    transaction_key = table.Column<string>(type: "text", nullable: false),
                    original_transaction_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_duplicate_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_duplicate_lines_transactions_original_transaction_id",
                        column: x => x.original_transaction_id,
                        principalTable: "offline_transactions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_duplicate_lines_uploaded_files_file_id",
                        column: x => x.file_id,
                        principalTable: "uploaded_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "transaction_edits",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    transaction_id = table.Column<long>(type: "bigint", nullable: false),
                    field = table.Column<string>(type: "text", nullable: false),
                    old_value = table.Column<string>(type: "text", nullable: true),
                    new_value = table.Column<string>(type: "text", nullable: true),
                    edited_by = table.Column<string>(type: "text", nullable: false),
                    edited_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transaction_edits", x => x.id);
                    table.ForeignKey(
                        name: "fk_transaction_edits_offline_transactions_transaction_id",
                        column: x => x.transaction_id,
                        principalTable: "offline_transactions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "transaction_results",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    transaction_id = table.Column<long>(type: "bigint", nullable: false),
                    session_id = table.Column<long>(type: "bigint", nullable: false),
                    run = table.Column<int>(type: "integer", nullable: false),
                    is_current = table.Column<bool>(type: "boolean", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    codes = table.Column<string[]>(type: "text[]", nullable: false),
                    message = table.Column<string>(type: "text", nullable: false),
                    patron_id = table.Column<long>(type: "bigint", nullable: true),
                    item_id = table.Column<long>(type: "bigint", nullable: true),
                    circulation_id = table.Column<long>(type: "bigint", nullable: true),
                    hold_id = table.Column<long>(type: "bigint", nullable: true),
                    transit_id = table.Column<long>(type: "bigint", nullable: true),
                    billed_amount = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    due_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    checkin_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    follow_ups = table.Column<string[]>(type: "text[]", nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    processed_by = table.Column<string>(type: "text", nullable: false),
                    resolved = table.Column<bool>(type: "boolean", nullable: false),
                    resolution_note = table.Column<string>(type: "text", nullable: true),
                    resolved_by = table.Column<string>(type: "text", nullable: true),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transaction_results", x => x.id);
                    table.ForeignKey(
                        name: "fk_transaction_results_offline_transactions_transaction_id",
                        column: x => x.transaction_id,
                        principalTable: "offline_transactions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_tokens_token_hash",
                table: "api_tokens",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_api_tokens_user_id",
                table: "api_tokens",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_role_claims_role_id",
                table: "AspNetRoleClaims",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "AspNetRoles",
                column: "normalized_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_user_claims_user_id",
                table: "AspNetUserClaims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_user_logins_user_id",
                table: "AspNetUserLogins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_user_roles_role_id",
                table: "AspNetUserRoles",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "AspNetUsers",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_users_home_org_id",
                table: "AspNetUsers",
                column: "home_org_id");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "AspNetUsers",
                column: "normalized_user_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_action_at",
                table: "audit_log",
                columns: new[] { "action", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_at",
                table: "audit_log",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_billings_circulation_id",
                table: "billings",
                column: "circulation_id");

            migrationBuilder.CreateIndex(
                name: "ix_billings_patron_id_billed_at",
                table: "billings",
                columns: new[] { "patron_id", "billed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_cards_barcode",
                table: "cards",
                column: "barcode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cards_patron_id",
                table: "cards",
                column: "patron_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulation_policies_org_unit_id_profile_id_circ_modifier",
                table: "circulation_policies",
                columns: new[] { "org_unit_id", "profile_id", "circ_modifier" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "ix_circulation_policies_profile_id",
                table: "circulation_policies",
                column: "profile_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_checkin_org_id",
                table: "circulations",
                column: "checkin_org_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_checkin_workstation_id",
                table: "circulations",
                column: "checkin_workstation_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_checkout_org_id",
                table: "circulations",
                column: "checkout_org_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_checkout_workstation_id",
                table: "circulations",
                column: "checkout_workstation_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_item_id_checkout_time",
                table: "circulations",
                columns: new[] { "item_id", "checkout_time" });

            migrationBuilder.CreateIndex(
                name: "ix_circulations_patron_id",
                table: "circulations",
                column: "patron_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_policy_id",
                table: "circulations",
                column: "policy_id");

            migrationBuilder.CreateIndex(
                name: "ux_circulations_open_item",
                table: "circulations",
                column: "item_id",
                unique: true,
                filter: "checkin_time IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_duplicate_lines_file_id_line_number",
                table: "duplicate_lines",
                columns: new[] { "file_id", "line_number" });

            migrationBuilder.CreateIndex(
                name: "ix_duplicate_lines_original_transaction_id",
                table: "duplicate_lines",
                column: "original_transaction_id");

            migrationBuilder.CreateIndex(
                name: "ix_holds_captured_item_id",
                table: "holds",
                column: "captured_item_id");

            migrationBuilder.CreateIndex(
                name: "ix_holds_patron_id",
                table: "holds",
                column: "patron_id");

            migrationBuilder.CreateIndex(
                name: "ix_holds_pickup_org_id",
                table: "holds",
                column: "pickup_org_id");

            migrationBuilder.CreateIndex(
                name: "ix_holds_target_item_id_status",
                table: "holds",
                columns: new[] { "target_item_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_holds_target_record_id_status",
                table: "holds",
                columns: new[] { "target_record_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_in_house_uses_item_id",
                table: "in_house_uses",
                column: "item_id");

            migrationBuilder.CreateIndex(
                name: "ix_in_house_uses_org_id",
                table: "in_house_uses",
                column: "org_id");

            migrationBuilder.CreateIndex(
                name: "ix_in_house_uses_workstation_id",
                table: "in_house_uses",
                column: "workstation_id");

            migrationBuilder.CreateIndex(
                name: "ix_items_barcode",
                table: "items",
                column: "barcode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_items_owning_org_id",
                table: "items",
                column: "owning_org_id");

            migrationBuilder.CreateIndex(
                name: "ix_items_record_id",
                table: "items",
                column: "record_id");

            migrationBuilder.CreateIndex(
                name: "ix_items_status_change_session_id",
                table: "items",
                column: "status_change_session_id");

            migrationBuilder.CreateIndex(
                name: "ix_noncat_circulations_noncat_type_id",
                table: "noncat_circulations",
                column: "noncat_type_id");

            migrationBuilder.CreateIndex(
                name: "ix_noncat_circulations_org_id",
                table: "noncat_circulations",
                column: "org_id");

            migrationBuilder.CreateIndex(
                name: "ix_noncat_circulations_patron_id",
                table: "noncat_circulations",
                column: "patron_id");

            migrationBuilder.CreateIndex(
                name: "ix_noncat_circulations_workstation_id",
                table: "noncat_circulations",
                column: "workstation_id");

            migrationBuilder.CreateIndex(
                name: "ix_noncat_types_owning_org_id_name",
                table: "noncat_types",
                columns: new[] { "owning_org_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_offline_transactions_file_id",
                table: "offline_transactions",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_offline_transactions_item_barcode",
                table: "offline_transactions",
                column: "item_barcode");

            migrationBuilder.CreateIndex(
                name: "ix_offline_transactions_key",
                table: "offline_transactions",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_offline_transactions_patron_barcode",
                table: "offline_transactions",
                column: "patron_barcode");

            migrationBuilder.CreateIndex(
                name: "ix_offline_transactions_session_id_file_id_line_number",
                table: "offline_transactions",
                columns: new[] { "session_id", "file_id", "line_number" });

            migrationBuilder.CreateIndex(
                name: "ix_org_closings_org_unit_id_start_date",
                table: "org_closings",
                columns: new[] { "org_unit_id", "start_date" });

            migrationBuilder.CreateIndex(
                name: "ix_org_units_parent_id",
                table: "org_units",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_org_units_path",
                table: "org_units",
                column: "path");

            migrationBuilder.CreateIndex(
                name: "ix_org_units_short_name",
                table: "org_units",
                column: "short_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_patron_blocks_patron_id",
                table: "patron_blocks",
                column: "patron_id");

            migrationBuilder.CreateIndex(
                name: "ix_patron_profiles_name",
                table: "patron_profiles",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_patrons_email",
                table: "patrons",
                column: "email");

            migrationBuilder.CreateIndex(
                name: "ix_patrons_family_name_first_given_name_dob",
                table: "patrons",
                columns: new[] { "family_name", "first_given_name", "dob" });

            migrationBuilder.CreateIndex(
                name: "ix_patrons_home_org_id",
                table: "patrons",
                column: "home_org_id");

            migrationBuilder.CreateIndex(
                name: "ix_patrons_profile_id",
                table: "patrons",
                column: "profile_id");

            migrationBuilder.CreateIndex(
                name: "ix_patrons_username",
                table: "patrons",
                column: "username",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_payments_patron_id",
                table: "payments",
                column: "patron_id");

            migrationBuilder.CreateIndex(
                name: "ix_rejected_lines_file_id",
                table: "rejected_lines",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_rejected_lines_session_id_file_id_line_number",
                table: "rejected_lines",
                columns: new[] { "session_id", "file_id", "line_number" });

            migrationBuilder.CreateIndex(
                name: "ix_session_runs_session_id_run",
                table: "session_runs",
                columns: new[] { "session_id", "run" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_session_runs_active",
                table: "session_runs",
                column: "session_id",
                unique: true,
                filter: "finished_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_sessions_org_unit_id_created_at",
                table: "sessions",
                columns: new[] { "org_unit_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_transaction_edits_transaction_id",
                table: "transaction_edits",
                column: "transaction_id");

            migrationBuilder.CreateIndex(
                name: "ix_transaction_results_session_current",
                table: "transaction_results",
                columns: new[] { "session_id", "status", "transaction_id" },
                filter: "is_current");

            migrationBuilder.CreateIndex(
                name: "ix_transaction_results_transaction_id_run",
                table: "transaction_results",
                columns: new[] { "transaction_id", "run" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_transaction_results_current",
                table: "transaction_results",
                column: "transaction_id",
                unique: true,
                filter: "is_current");

            migrationBuilder.CreateIndex(
                name: "ix_transits_from_org_id",
                table: "transits",
                column: "from_org_id");

            migrationBuilder.CreateIndex(
                name: "ix_transits_hold_id",
                table: "transits",
                column: "hold_id");

            migrationBuilder.CreateIndex(
                name: "ix_transits_to_org_id",
                table: "transits",
                column: "to_org_id");

            migrationBuilder.CreateIndex(
                name: "ix_transits_workstation_id",
                table: "transits",
                column: "workstation_id");

            migrationBuilder.CreateIndex(
                name: "ux_transits_open_item",
                table: "transits",
                column: "item_id",
                unique: true,
                filter: "received_time IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_uploaded_files_session_id",
                table: "uploaded_files",
                column: "session_id");

            migrationBuilder.CreateIndex(
                name: "ix_workstations_name",
                table: "workstations",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_workstations_org_unit_id",
                table: "workstations",
                column: "org_unit_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_tokens");

            migrationBuilder.DropTable(
                name: "AspNetRoleClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserLogins");

            migrationBuilder.DropTable(
                name: "AspNetUserRoles");

            migrationBuilder.DropTable(
                name: "AspNetUserTokens");

            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "billings");

            migrationBuilder.DropTable(
                name: "cards");

            migrationBuilder.DropTable(
                name: "duplicate_lines");

            migrationBuilder.DropTable(
                name: "in_house_uses");

            migrationBuilder.DropTable(
                name: "noncat_circulations");

            migrationBuilder.DropTable(
                name: "org_closings");

            migrationBuilder.DropTable(
                name: "patron_blocks");

            migrationBuilder.DropTable(
                name: "payments");

            migrationBuilder.DropTable(
                name: "rejected_lines");

            migrationBuilder.DropTable(
                name: "session_runs");

            migrationBuilder.DropTable(
                name: "transaction_edits");

            migrationBuilder.DropTable(
                name: "transaction_results");

            migrationBuilder.DropTable(
                name: "transits");

            migrationBuilder.DropTable(
                name: "AspNetRoles");

            migrationBuilder.DropTable(
                name: "AspNetUsers");

            migrationBuilder.DropTable(
                name: "circulations");

            migrationBuilder.DropTable(
                name: "noncat_types");

            migrationBuilder.DropTable(
                name: "offline_transactions");

            migrationBuilder.DropTable(
                name: "holds");

            migrationBuilder.DropTable(
                name: "circulation_policies");

            migrationBuilder.DropTable(
                name: "workstations");

            migrationBuilder.DropTable(
                name: "uploaded_files");

            migrationBuilder.DropTable(
                name: "items");

            migrationBuilder.DropTable(
                name: "patrons");

            migrationBuilder.DropTable(
                name: "records");

            migrationBuilder.DropTable(
                name: "sessions");

            migrationBuilder.DropTable(
                name: "patron_profiles");

            migrationBuilder.DropTable(
                name: "org_units");
        }
    }
}
