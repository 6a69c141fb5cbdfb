/** Every scope the test suites grant: records, settings, users, org, COQL, functions and the profile. */
export const ALL_SCOPES =
  'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL,ZohoCRM.coql.READ,ZohoCRM.functions.execute.READ,ZohoCRM.functions.execute.CREATE,aaaserver.profile.READ';
