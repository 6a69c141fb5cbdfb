/** The named exports of the package (also reachable as properties of the default ZCRMRestClient export). */
export { ZohoCRM, SDK_VERSION } from './client.js';
export type { ZohoCRMOptions, ApiRequest, ApiResponse, MultipartPart, ResolvedConfig, AccessTokenProvider } from './client.js';
export type { MultipartValue } from './http/multipart.js';
export { InProcessLimiter, EDITION_CONCURRENCY } from './http/limiter.js';
export type { ConcurrencyLimiter, ZohoEdition } from './http/limiter.js';
export type { ClientHooks, RequestEvent, ResponseEvent, RetryEvent, TokenRefreshEvent } from './http/pipeline.js';
export type { FetchLike } from './http/transport.js';
export type { ApiStreamResponse, RequestSender } from './api/resource.js';
export {
  ZohoError,
  ConfigError,
  InvalidInputError,
  OAuthError,
  OAuthThrottleError,
  NoTokenError,
  TokenStoreError,
  ConnectionError,
  TimeoutError,
  AbortedError,
  ApiError,
  BadRequestError,
  AuthenticationError,
  PermissionError,
  NotFoundError,
  RateLimitError,
  ServerError,
  InvalidDataError,
  DuplicateDataError,
  MandatoryNotFoundError,
  RequiredParamMissingError,
  LimitExceededError,
  InvalidModuleError,
  InvalidQueryError,
  PatternNotMatchedError,
  InvalidRequestMethodError,
  AlreadyConvertedError,
  FileTooLargeError,
  InvalidTokenError,
  OAuthScopeMismatchError,
  NoPermissionError,
  FeatureNotSupportedError,
  apiErrorFromResponse,
  parseZohoErrorBody,
  REQUEST_ID_HEADERS,
  ERROR_CHANNEL,
} from './errors.js';
export type { ApiErrorInit, ApiErrorRequest, ZohoErrorBody } from './errors.js';
export {
  DATA_CENTRES,
  DEFAULT_API_VERSION,
  DEFAULT_LEGACY_API_VERSION,
  DEFAULT_DATA_CENTRE,
  DEFAULT_ENVIRONMENT,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TOKEN_MAX_RETRIES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_USER_ID,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_REFRESH_SKEW_MS,
} from './config.js';
export type { DataCentre, ZohoEnvironment } from './config.js';
export { TokenManager, TokensNotSavedError, DEFAULT_STORE_TIMEOUT_MS, DEFAULT_REFRESH_TIMEOUT_MS } from './auth/token-manager.js';
export type { TokenManagerOptions, GetTokenOptions, TokenRefreshReason } from './auth/token-manager.js';
export { OAuthClient } from './auth/oauth-client.js';
export type { OAuthClientOptions, IssuedTokens } from './auth/oauth-client.js';
export { MemoryTokenStore } from './stores/memory-store.js';
export { MySQLTokenStore } from './stores/mysql-store.js';
export type { MySQLTokenStoreOptions } from './stores/mysql-store.js';
export { FileTokenStore } from './stores/file-store.js';
export type { FileTokenStoreOptions } from './stores/file-store.js';
export { SQLiteTokenStore } from './stores/sqlite-store.js';
export type { SQLiteTokenStoreOptions } from './stores/sqlite-store.js';
export { PostgresTokenStore } from './stores/postgres-store.js';
export type { PostgresTokenStoreOptions, PgPoolLike, PgClientLike } from './stores/postgres-store.js';
export { RedisTokenStore } from './stores/redis-store.js';
export type { RedisTokenStoreOptions } from './stores/redis-store.js';
export { RedisConcurrencyLimiter } from './stores/redis-limiter.js';
export type { RedisConcurrencyLimiterOptions } from './stores/redis-limiter.js';
export type { RedisClientLike, RedisConnectionOptions } from './stores/redis-client.js';
export type { EncryptionKey, EncryptionOptions } from './stores/codec.js';
export { DEFAULT_LOCK_LEASE_MS, DEFAULT_LOCK_TIMEOUT_MS } from './stores/lock.js';
export { LegacyModuleTokenStore, loadLegacyTokenModule } from './stores/legacy-module-store.js';
export type { StoredToken, TokenStore, LockOptions } from './stores/token-store.js';
export { consoleLogger, silentLogger, LOG_CHANNEL } from './logger.js';
export type { Logger, LogLevel, LogRecord } from './logger.js';
export { createZCRMRestClient } from './legacy/zcrm-rest-client.js';
export type { ZCRMRestClientStatic, LegacyAuthResponse } from './legacy/zcrm-rest-client.js';
export type { LegacyApi, LegacyApiFunction, LegacyResult } from './legacy/api.js';
export type { LegacyInput } from './legacy/request-builder.js';
export type { LegacyResponse } from './legacy/response.js';
export type { LegacySettings } from './legacy/legacy-config.js';
export { settingsFromProperties, OAUTH_FILE, CONFIG_FILE } from './legacy/legacy-config.js';
export type { LegacyConfigObject } from './legacy/legacy-config.js';
export { Page, PagePromise } from './api/pagination.js';
export { APIPromise } from './api/api-promise.js';
export type { ResponseMeta, WithResponse } from './api/api-promise.js';
export type { Input } from './api/input.js';
/** Every Zoho area's types (Zoho's schema names in PascalCase, and each operation's Params/Response), e.g. `ZohoApi.Currencies.Currency`. */
export type * as ZohoApi from './api/generated/types.js';
export type { PageInfo } from './api/pagination.js';
export { SettingsResource, MetadataCache, DEFAULT_METADATA_CACHE_TTL_MS } from './api/settings.js';
export type {
  MetadataCacheOptions,
  SettingsCallOptions,
  FieldsOptions,
  ZohoModule,
  ZohoField,
  ZohoPicklistValue,
  ZohoLayout,
  ZohoCustomView,
  ZohoRelatedList,
  ZohoRole,
  ZohoProfile,
} from './api/settings.js';
export { RecordsResource, assertRecordId } from './api/records.js';
export type {
  RecordsWriteParams,
  RecordUpdateParams,
  RecordsDeleteParams,
  ZohoRecord,
  WithId,
  FieldName,
  ZohoUserRef,
  DeletedRecord,
  PagingParams,
  ListParams,
  GetParams,
  SearchBy,
  SearchParams,
  DeletedParams,
  WriteTrigger,
  WriteOptions,
  UpsertOptions,
  DeleteOptions,
} from './api/records.js';
export { PartialWriteError } from './api/write.js';
export type { WriteResult } from './api/write.js';
export { Criteria, criteria, escapeCriteriaValue, MAX_CRITERIA_CONDITIONS } from './api/criteria.js';
export type { CriteriaOperator, CriteriaValue } from './api/criteria.js';
export type { CoqlOptions } from './api/coql.js';
export type { RequestOptions } from './api/request-options.js';
export { RelatedRecordsResource, NotesResource } from './api/related.js';
export type { RelatedListParams, ZohoNote, NewNote } from './api/related.js';
export { TagsResource, MAX_TAGS_PER_CALL } from './api/record-actions.js';
export type { AddTagsOptions, ConvertLeadOptions, ConvertLeadResult, MassUpdateTarget, MassUpdateOptions, MassUpdateJob, MassUpdateStatus } from './api/record-actions.js';
export type { UserType, ZohoUser, ZohoOrg, UsersParams } from './api/users.js';
export { FunctionResource } from './api/functions.js';
export type { FunctionArguments, FunctionResult } from './api/functions.js';
export { AttachmentsResource, PhotosResource } from './api/files.js';
export type { UploadSource, UploadOptions, FileDownload, ZohoAttachment, AttachmentListParams } from './api/files.js';
export {
  BulkResource,
  BulkReadJob,
  BulkWriteJob,
  BulkJobError,
  bulkPollDelays,
  DEFAULT_BULK_POLL_INTERVAL_MS,
  DEFAULT_BULK_MAX_POLL_INTERVAL_MS,
  DEFAULT_BULK_WAIT_TIMEOUT_MS,
} from './api/bulk.js';
export type { BulkCriteria, BulkReadOptions, BulkResultOptions, BulkRowStream, BulkWaitOptions, BulkWriteOptions } from './api/bulk.js';
export { DEFAULT_BULK_MAX_RESULT_BYTES, ZipFormatError } from './internal/zip.js';
// CSV: the writer and reader crm.bulk uses, for users' own files.
export { csvCell, csvLine, csvLineWith, DEFAULT_NEUTRALISE_FORMULAS, CsvRowParser, CsvRecords } from './internal/csv.js';
export type { CsvLineOptions } from './internal/csv.js';
// Notifications (receiver side): events engineer's block.
export {
  createNotificationHandler,
  parseNotification,
  deliveryKey,
  DEFAULT_NOTIFICATION_MAX_BODY_BYTES,
  MAX_CHANNEL_TOKEN_LENGTH,
} from './notifications/handler.js';
export type {
  NotificationEvent,
  NotificationEventOf,
  NotificationOperation,
  NotificationHandler,
  NotificationHandlerOptions,
  NotificationResult,
  ChannelExpectation,
} from './notifications/handler.js';
export {
  MemoryDedupeStore,
  RedisDedupeStore,
  MySQLDedupeStore,
  PostgresDedupeStore,
  DEFAULT_DEDUPE_TTL_MS,
  DEFAULT_DEDUPE_TABLE,
  DEFAULT_MEMORY_DEDUPE_MAX_ENTRIES,
} from './notifications/dedupe.js';
export type {
  DedupeStore,
  MemoryDedupeStoreOptions,
  RedisDedupeStoreOptions,
  MySQLDedupeStoreOptions,
  PostgresDedupeStoreOptions,
  SqlDedupeStoreOptions,
} from './notifications/dedupe.js';
export { keepChannelAlive, channelStateKey, formatChannelExpiry, DEFAULT_CHANNEL_LIFETIME_MS, MAX_CHANNEL_LIFETIME_MS, DEFAULT_CHANNEL_RENEW_BEFORE_MS } from './notifications/channels.js';
export type { WatchInput, KeepChannelAliveOptions, ChannelKeeper } from './notifications/channels.js';
export { composite, recordSubRequest, RecordingSender, MAX_COMPOSITE_SUBREQUESTS } from './api/composite.js';
export type { SubRequest, SubResponse, CompositeOptions, CompositeResults, CompositeCall } from './api/composite.js';
