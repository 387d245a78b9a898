/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // dynalite and the AWS SDK are Node-only server code; keep them out of the bundler.
  serverExternalPackages: ["dynalite", "aws-ses-v2-local", "classic-level"],
  typedRoutes: false,
};

export default nextConfig;
