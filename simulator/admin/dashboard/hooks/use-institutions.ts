import type { InstitutionInfo } from '../../admin-contract.ts';
import { useApi } from './use-api.ts';

/** The configured institutions (they change only on restart, so they are fetched once). */
export function useInstitutions(): InstitutionInfo[] {
  return useApi<{ institutions: InstitutionInfo[] }>('/api/institutions').data?.institutions ?? [];
}
