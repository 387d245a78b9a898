/** Storage states saved by auth.setup.ts; under test-results/ so git ignores them. */
export const ADMIN_STATE = "test-results/.auth/admin.json";
export const VIEWER_STATE = "test-results/.auth/viewer.json";
