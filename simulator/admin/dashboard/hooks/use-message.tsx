import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** The page's one status line (an aria-live region): what the last action did. */
export const MessageContext = createContext<(message: string) => void>(() => undefined);
export const useMessage = (): ((message: string) => void) => useContext(MessageContext);
