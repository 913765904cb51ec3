import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { themeInitScript } from "@/components/ui/theme";
import { ToastProvider } from "@/components/ui/toast";
import { ServiceWorkerRegistration } from "@/components/push/service-worker-registration";
import "./globals.css";

const iconSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#4338ca"/>' +
  '<path d="M16 5.5 8.5 8.8v5.1c0 4.3 3.1 8.2 7.5 9.4 4.4-1.2 7.5-5.1 7.5-9.4V8.8L16 5.5Z" fill="none" stroke="#fff" stroke-width="1.8" stroke-linejoin="round"/>' +
  '<path d="m12.8 14.6 2.3 2.3 4.2-4.7" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>';

export const metadata: Metadata = {
  title: { default: "Countersign", template: "%s · Countersign" },
  description: "Threshold wallets, guardrails and human approvals for AI agents that move money.",
  applicationName: "Countersign",
  icons: { icon: `data:image/svg+xml,${encodeURIComponent(iconSvg)}`, apple: "/icons/apple-touch-icon.png" },
  manifest: "/manifest.webmanifest",
  appleWebApp: { capable: true, title: "Countersign", statusBarStyle: "default" },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f7f7f8" },
    { media: "(prefers-color-scheme: dark)", color: "#0d0d11" },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The inline script sets the theme class before hydration, so React must not complain about it.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeInitScript }} />
      </head>
      <body className="bg-bg text-fg">
        <ToastProvider>{children}</ToastProvider>
        <ServiceWorkerRegistration />
      </body>
    </html>
  );
}
